import { DEFAULT_SETTINGS, type CheckReport, type DestinationResult, type RouteResult } from '../../src/model/check.js';
import { finding } from '../../src/model/findings.js';
import type { SplitSource } from '../../src/model/split.js';

/** CheckReports built by hand (numbers from judgeSplit/judgeMix on the same counts). */

export function source(name: string, namespace: string, file: string, line: number, hosts: string[]): SplitSource {
  return { kind: 'VirtualService', name, namespace, file, line, hosts, exportTo: null, annotations: {}, annotationLines: {} };
}

function destination(fields: Partial<DestinationResult> & Pick<DestinationResult, 'host' | 'declaredPercent' | 'requests' | 'status'>): DestinationResult {
  return {
    subset: null,
    version: null,
    actualPercent: null,
    deltaPoints: null,
    interval: null,
    line: null,
    undeclared: false,
    ...fields,
  };
}

const HELLO = 'helloworld.default.svc.cluster.local';
const REVIEWS = 'reviews.bookinfo.svc.cluster.local';

export const helloworldVs = source('helloworld-vs', 'default', 'manifests/helloworld.yaml', 3, [HELLO]);
export const gatewayVs = source('helloworld-gw', 'default', 'manifests/gateway.yaml', 20, [HELLO]);
export const reviewsVs = source('reviews', 'bookinfo', 'manifests/reviews.yaml', 1, [REVIEWS]);
export const ratingsVs = source('ratings', 'bookinfo', 'manifests/ratings.yaml', 1, ['ratings.bookinfo.svc.cluster.local']);

/** 80/20 declared; v1 gets 68 %, and an undeclared v3 gets 11.5 %. */
export const driftResult: RouteResult = {
  virtualService: helloworldVs,
  binding: 'mesh',
  route: { index: 0, name: null, protocol: 'http', conditional: false, line: 9 },
  status: 'drift',
  requests: 5000.2,
  requestsNeeded: null,
  destinations: [
    destination({ host: HELLO, version: 'v1', declaredPercent: 80, actualPercent: 68.24927002919883, deltaPoints: -11.750729970801174, requests: 3412.6, interval: [66.65315374342626, 69.80360023944576], status: 'drift', line: 14 }),
    destination({ host: HELLO, version: 'v2', declaredPercent: 20, actualPercent: 20.243190272389107, deltaPoints: 0.24319027238910707, requests: 1012.2, interval: [18.917261688525045, 21.63725420066366], status: 'pass', line: 18 }),
    destination({ host: HELLO, version: 'v3', declaredPercent: 0, actualPercent: 11.507539698412064, deltaPoints: 11.507539698412064, requests: 575.4, interval: [10.47096158039672, 12.632255525538824], status: 'drift', line: null, undeclared: true }),
  ],
  message: 'helloworld/v3 (undeclared) at 11.5% is outside 0% ± 5 (interval 10.5–12.6%)',
  mix: null,
  tolerance: 5,
  minRequests: 100,
  unit: 'requests',
};

export const inconclusiveResult: RouteResult = {
  virtualService: gatewayVs,
  binding: 'istio-system/helloworld-gateway',
  route: { index: 0, name: 'canary', protocol: 'http', conditional: false, line: 31 },
  status: 'inconclusive',
  requests: 71,
  requestsNeeded: 6875,
  destinations: [
    destination({ host: HELLO, version: 'v1', declaredPercent: 50, actualPercent: 56.33802816901409, deltaPoints: 6.338028169014088, requests: 40, interval: [43.162691169983994, 68.67569338434535], status: 'inconclusive', line: 35 }),
    destination({ host: HELLO, version: 'v2', declaredPercent: 50, actualPercent: 43.66197183098591, deltaPoints: -6.338028169014088, requests: 31, interval: [31.324306615654653, 56.837308830016006], status: 'inconclusive', line: 39 }),
  ],
  message: '71 requests, fewer than the 100 required; about 6,900 more needed to settle',
  mix: null,
  tolerance: 5,
  minRequests: 100,
  unit: 'requests',
};

export const noTrafficResult: RouteResult = {
  virtualService: ratingsVs,
  binding: 'mesh',
  route: { index: 0, name: null, protocol: 'tcp', conditional: false, line: 8 },
  status: 'no-traffic',
  requests: 0,
  requestsNeeded: null,
  destinations: [
    destination({ host: 'ratings.bookinfo.svc.cluster.local', version: 'v1', subset: 'v1', declaredPercent: 90, requests: 0, status: 'no-traffic', line: 12 }),
    destination({ host: 'ratings.bookinfo.svc.cluster.local', subset: 'canary', declaredPercent: 10, requests: 0, status: 'no-traffic', line: 16 }),
  ],
  message: 'no requests in the window',
  mix: null,
  tolerance: 5,
  minRequests: 100,
  unit: 'connections',
};

/** Two routes with `match`: jason → v3, everyone else → v1; fitted 74/26. */
export const mixResult: RouteResult = {
  virtualService: reviewsVs,
  binding: 'mesh',
  route: { index: 0, name: 'jason', protocol: 'http', conditional: true, line: 9 },
  status: 'pass',
  requests: 2000,
  requestsNeeded: null,
  destinations: [
    destination({ host: REVIEWS, version: 'v3', subset: 'v3', declaredPercent: 26, actualPercent: 26, deltaPoints: 0, requests: 520, interval: [23.86366453202985, 28.256606622170548], status: 'pass', line: 16 }),
    destination({ host: REVIEWS, version: 'v1', subset: 'v1', declaredPercent: 74, actualPercent: 74, deltaPoints: 0, requests: 1480, interval: [71.74339337782945, 76.13633546797016], status: 'pass', line: 20 }),
  ],
  message: '2,000 requests; every destination within 5 points of its declared share',
  mix: [
    { index: 0, name: 'jason', alpha: 0.26 },
    { index: 1, name: null, alpha: 0.74 },
  ],
  tolerance: 5,
  minRequests: 100,
  unit: 'requests',
};

export const passResult: RouteResult = {
  virtualService: source('helloworld-subsets', 'default', 'manifests/subsets.yaml', 1, [HELLO]),
  binding: 'mesh',
  route: { index: 0, name: null, protocol: 'http', conditional: false, line: 8 },
  status: 'pass',
  requests: 10000,
  requestsNeeded: null,
  destinations: [
    destination({ host: HELLO, version: 'v1', subset: 'v1', declaredPercent: 70, actualPercent: 70.21, deltaPoints: 0.21, requests: 7021, interval: [69.17498635350925, 71.22471729517753], status: 'pass', line: 13 }),
    destination({ host: HELLO, version: 'v2', subset: 'v2', declaredPercent: 30, actualPercent: 29.79, deltaPoints: -0.21, requests: 2979, interval: [28.77528270482248, 30.825013646490746], status: 'pass', line: 17 }),
  ],
  message: '10,000 requests; every destination within 5 points of its declared share',
  mix: null,
  tolerance: 5,
  minRequests: 100,
  unit: 'requests',
};

export function report(fields: Partial<CheckReport> = {}): CheckReport {
  return {
    schemaVersion: 1,
    status: 'pass',
    exitCode: 0,
    evaluatedAt: '2025-05-01T12:00:00.000Z',
    window: '5m',
    prometheus: 'http://prometheus.istio-system:9090',
    settings: DEFAULT_SETTINGS,
    results: [],
    findings: [],
    queries: [],
    warnings: [],
    ...fields,
  };
}

/** Everything at once, sorted as evaluate() sorts: drift, inconclusive, no-traffic, pass. */
export const fullReport = report({
  status: 'drift',
  exitCode: 1,
  results: [driftResult, inconclusiveResult, noTrafficResult, passResult, mixResult],
  findings: [
    finding('MS106', { object: 'VirtualService default/helloworld-vs', file: 'manifests/helloworld.yaml', line: 3 }, 'shares destinations with VirtualService default/helloworld-subsets; attribution is ambiguous'),
    finding('MS203', { object: 'VirtualService bookinfo/reviews', file: 'manifests/reviews.yaml', line: 9 }, 'routes with match conditions are compared as a mix'),
    finding('MS102', { object: 'DestinationRule default/other', file: 'manifests/other.yaml', line: 5 }, 'host other.default matches no Service'),
  ],
  warnings: ['query returned partial data'],
});

/** Only the drift route: the example a reviewer reads. */
export const driftReport = report({ status: 'drift', exitCode: 1, results: [driftResult] });

/** Manifests Istio would reject: nothing compared. */
export const errorReport = report({
  status: 'error',
  exitCode: 65,
  findings: [
    finding('MS003', { object: 'VirtualService default/bad', file: 'manifests/bad.yaml', line: 12 }, 'weight must be a non-negative integer, got -5'),
    finding('MS101', { object: 'VirtualService default/bad', file: 'manifests/bad.yaml', line: 15 }, 'subset v9 is not defined by any DestinationRule for helloworld'),
    finding('MS201', { object: 'VirtualService default/bad', file: 'manifests/bad.yaml', line: 9 }, 'weights sum to 90, not 100'),
  ],
});

/** Names and messages that every format must neutralise. */
export const NASTY = `<&>"' |pipe| ::colon, 100% \`tick\` *star* [link](x) @user #1\r\nline2\u0000\u0007\u001b[31m\uFFFE\uD800end`;

export const nastyResult: RouteResult = {
  ...driftResult,
  virtualService: source('we-ird', 'ns', 'dir,with:odd/%20<&>"\'.yaml', 7, [HELLO]),
  binding: `gw|ns/${NASTY}`,
  route: { ...driftResult.route, name: NASTY },
  message: NASTY,
};

export const nastyReport = report({
  status: 'drift',
  exitCode: 1,
  prometheus: 'http://prom:9090/?a=1&b=<x>',
  results: [nastyResult],
  findings: [finding('MS102', { object: `VirtualService ns/we-ird`, file: 'dir,with:odd/%20<&>"\'.yaml', line: 2 }, NASTY)],
  warnings: [NASTY],
});
