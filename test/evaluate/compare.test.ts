import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIgnored, effectiveSettings } from '../../src/evaluate/annotations.js';
import { annotationFindings } from '../../src/resolve/annotations.js';
import { AttributedTotals, gatewayWorkloads, seriesForBinding, workloadFromSelector, type ObservedSeries } from '../../src/evaluate/attribution.js';
import { compareGroup, countTraffic } from '../../src/evaluate/compare.js';
import { groupSplits } from '../../src/evaluate/groups.js';
import { outcome } from '../../src/evaluate/outcome.js';
import type { RouteResult } from '../../src/model/check.js';
import { resolveYaml } from '../resolve/helpers.js';

const SETTINGS = { tolerance: 5, confidence: 0.95, minRequests: 100 };
const observed = (host: string, version: string, value: number, sourceWorkload = 'sleep'): ObservedSeries => ({
  sourceWorkload,
  sourceNamespace: 'default',
  host,
  version,
  value,
});
const HOST = 'app.default.svc.cluster.local';

const CONDITIONAL = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: app}
spec:
  hosts: [app]
  http:
  - match: [{headers: {x-canary: {exact: "1"}}}]
    route:
    - destination: {host: app, subset: v2}
  - route:
    - destination: {host: app, subset: v1}
      weight: 90
    - destination: {host: app, subset: v2}
      weight: 10
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: app}
spec:
  host: app
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
`;

describe('attribution', () => {
  it('derives gateway workloads from selectors, overrides and Gateway API names', () => {
    expect(workloadFromSelector({ istio: 'ingressgateway' })).toBe('istio-ingressgateway');
    expect(workloadFromSelector({ app: 'edge' })).toBe('edge');
    // The istio/gateway Helm chart: `helm install my-gw istio/gateway` runs workload my-gw (it was
    // taken for istio-my-gw, and the gateway's traffic for mesh traffic: false drift).
    expect(workloadFromSelector({ istio: 'my-gw', app: 'my-gw' })).toBe('my-gw');
    expect(workloadFromSelector({ app: 'istio-ingressgateway', istio: 'ingressgateway' })).toBe('istio-ingressgateway');
    expect(workloadFromSelector({ 'app.kubernetes.io/name': 'edge-gw' })).toBe('edge-gw');
    expect(workloadFromSelector({ team: 'x' })).toBeNull();
    const workloads = gatewayWorkloads(
      ['mesh', 'default/gw', 'infra/public', 'default/other'],
      [{ namespace: 'default', name: 'gw', selector: { istio: 'eastwestgateway' }, file: 'f', line: 1 }],
      new Map([['default/other', 'istio-system/custom']]),
      new Set(['infra/public']),
    );
    expect(Object.fromEntries(workloads)).toEqual({
      'default/gw': { workload: 'istio-eastwestgateway', namespace: null },
      'infra/public': { workload: 'public-istio', namespace: null },
      'default/other': { workload: 'custom', namespace: 'istio-system' },
    });
  });

  it('gateway traffic counts for the gateway binding only; the mesh gets everything else', () => {
    const series = [observed(HOST, 'v1', 10), observed(HOST, 'v1', 20, 'istio-ingressgateway'), observed(HOST, 'v1', 5, 'edge')];
    const workloads = new Map([['default/gw', { workload: 'edge', namespace: null }]]);
    expect(seriesForBinding(series, 'default/gw', workloads).map((s) => s.value)).toEqual([5]);
    // The well-known ingress gateway never applies mesh-bound VirtualServices either.
    expect(seriesForBinding(series, 'mesh', workloads).map((s) => s.value)).toEqual([10]);
  });
});

describe('attributed totals', () => {
  const WORKLOADS = new Map([['default/gw', { workload: 'edge', namespace: null }]]);
  const arbitrarySeries = fc.array(
    fc.record({
      sourceWorkload: fc.constantFrom('sleep', 'edge', 'istio-ingressgateway'),
      sourceNamespace: fc.constantFrom('default', 'other'),
      host: fc.constantFrom('a', 'b', 'c'),
      version: fc.constantFrom('v1', 'v2', 'unknown'),
      value: fc.double({ min: 0, max: 1e6, noNaN: true }),
    }),
    { maxLength: 60 },
  );

  it('sums each version of a host exactly as filtering every series for the binding would', () => {
    fc.assert(
      fc.property(arbitrarySeries, fc.constantFrom('mesh', 'default/gw'), fc.constantFrom(null, ['default']), (series, binding, exportTo) => {
        const totals = new AttributedTotals(series, WORKLOADS);
        for (const host of ['a', 'b', 'c', 'd']) {
          const expected = new Map<string, number>();
          for (const item of seriesForBinding(series, binding, WORKLOADS, exportTo)) {
            if (item.host === host) expected.set(item.version, (expected.get(item.version) ?? 0) + item.value);
          }
          expect(totals.forHost(host, binding, exportTo)).toEqual([...expected].map(([version, value]) => ({ host, version, value })));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads a host once per binding and exportTo, however many groups ask', () => {
    const totals = new AttributedTotals([observed(HOST, 'v1', 10), observed(HOST, 'v2', 5, 'edge')], WORKLOADS);
    const first = totals.forHost(HOST, 'mesh', null);
    expect(totals.forHost(HOST, 'mesh', null)).toBe(first);
    expect(totals.forHost(HOST, 'mesh', ['default'])).not.toBe(first);
    expect(totals.forHost(HOST, 'default/gw', null)).toEqual([{ host: HOST, version: 'v2', value: 5 }]);
  });
});

describe('comparing a group', () => {
  it('exact versions first, then "any version" destinations, else undeclared', () => {
    const r = resolveYaml(CONDITIONAL);
    const [group] = groupSplits(r.splits);
    const { counts, undeclared } = countTraffic(group!, [observed(HOST, 'v1', 30), observed(HOST, 'v2', 10), observed(HOST, 'v3', 5), observed('other', 'v1', 99)]);
    expect(group!.destinations.map((d) => d.version)).toEqual(['v2', 'v1']);
    expect(counts).toEqual([10, 30]);
    expect(undeclared).toEqual([{ host: HOST, version: 'v3', count: 5 }]);
  });

  it('a conditional VirtualService is judged against the best mix of its routes, and reports it', () => {
    const [group] = groupSplits(resolveYaml(CONDITIONAL).splits);
    // 25 % of requests carry the header: 0.25·(0/100) + 0.75·(90/10) → v1 67.5 %, v2 32.5 %.
    const result = compareGroup(group!, [observed(HOST, 'v1', 6750), observed(HOST, 'v2', 3250)], SETTINGS);
    expect(result.status).toBe('pass');
    expect(result.route.conditional).toBe(true);
    expect(result.mix?.map((m) => [m.index, Number(m.alpha?.toFixed(3))])).toEqual([[0, 0.25], [1, 0.75]]);
    expect(result.destinations.map((d) => Number(d.declaredPercent.toFixed(1)))).toEqual([32.5, 67.5]);
    // More v1 than any mix allows (the catch-all route alone gives 90 %) is drift.
    expect(compareGroup(group!, [observed(HOST, 'v1', 9900), observed(HOST, 'v2', 100)], SETTINGS).status).toBe('drift');
  });

  it('seed numbers: 20/80 observed 2,030/7,970 passes, 560/1,440 drifts', () => {
    const text = CONDITIONAL.replace(/  - match:[\s\S]*?subset: v2}\n  - route:/, '  - route:').replace('weight: 90', 'weight: 20').replace('weight: 10', 'weight: 80');
    const [group] = groupSplits(resolveYaml(text).splits);
    expect(compareGroup(group!, [observed(HOST, 'v1', 2030), observed(HOST, 'v2', 7970)], SETTINGS).status).toBe('pass');
    const drift = compareGroup(group!, [observed(HOST, 'v1', 560), observed(HOST, 'v2', 1440)], SETTINGS);
    expect(drift.status).toBe('drift');
    expect(drift.destinations.map((d) => d.line)).toEqual([9, 11]);
  });
});

describe('annotations', () => {
  const source = (annotations: Record<string, string>) => ({
    kind: 'VirtualService' as const, name: 'x', namespace: 'd', file: 'f', line: 3, hosts: [], exportTo: null, annotations,
    annotationLines: Object.fromEntries(Object.keys(annotations).map((key, i) => [key, 5 + i])),
  });
  it('override tolerance and min-requests; bad values are MS112 on their own line and keep the default', () => {
    expect(effectiveSettings(source({ 'mesh-split.io/tolerance': '2.5', 'mesh-split.io/min-requests': '1000' }), SETTINGS)).toEqual({ ...SETTINGS, tolerance: 2.5, minRequests: 1000 });
    const bad = source({ 'mesh-split.io/tolerance': 'lots', 'mesh-split.io/min-requests': '-1', 'mesh-split.io/ignore': 'yes' });
    expect(effectiveSettings(bad, SETTINGS)).toEqual(SETTINGS);
    expect(annotationFindings(bad).map((f) => [f.code, f.line])).toEqual([['MS112', 5], ['MS112', 6], ['MS112', 7]]);
    expect(isIgnored(source({ 'mesh-split.io/ignore': 'true' }))).toBe(true);
    expect(isIgnored(bad)).toBe(false);
  });
});

describe('outcome', () => {
  const results = (...statuses: RouteResult['status'][]) => statuses.map((status) => ({ status }) as RouteResult);
  it('maps verdicts to SPEC §7 exit codes', () => {
    expect(outcome(results('pass', 'pass'), false)).toEqual({ status: 'pass', exitCode: 0 });
    expect(outcome(results('pass', 'drift', 'inconclusive'), true)).toEqual({ status: 'drift', exitCode: 1 });
    expect(outcome(results('pass', 'inconclusive'), false)).toEqual({ status: 'inconclusive', exitCode: 2 });
    expect(outcome(results('no-traffic'), false)).toEqual({ status: 'no-traffic', exitCode: 2 });
    expect(outcome(results('pass', 'no-traffic', 'inconclusive'), true)).toEqual({ status: 'inconclusive', exitCode: 0 });
  });
});
