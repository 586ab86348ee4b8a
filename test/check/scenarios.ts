import { destinationRule, gateway, service, virtualService } from '../support/manifests.js';
import { END, fqdn, type Flow } from './traffic.js';

/** A Service's DestinationRule with subsets v1 and v2, and a VirtualService splitting between them. */
function twoVersions(name: string, v1: number, v2: number, options?: Parameters<typeof virtualService>[3]): string {
  return (
    destinationRule(name, name, { v1: 'v1', v2: 'v2' }) +
    virtualService(name, name, [
      { host: name, subset: 'v1', weight: v1 },
      { host: name, subset: 'v2', weight: v2 },
    ], options)
  );
}

/** Integration scenarios: manifests and the traffic a real Prometheus is loaded with. */
export const SCENARIOS = {
  helloworld:
    service('helloworld') +
    service('helloworld-v1', 'default', 'v1') +
    service('helloworld-v2', 'default', 'v2') +
    virtualService('helloworld-vs', 'helloworld', [
      { host: 'helloworld-v1', weight: 20 },
      { host: 'helloworld-v2', weight: 80 },
    ]) +
    gateway('helloworld-gateway') +
    virtualService('helloworld-vs-w-gateway', '*', [
      { host: 'helloworld-v1', weight: 70 },
      { host: 'helloworld-v2', weight: 30 },
    ], { gateways: ['helloworld-gateway'] }),
  subsets: twoVersions('greeter', 70, 30),
  drift: twoVersions('reviews', 20, 80),
  lowTraffic: twoVersions('hello', 50, 50),
  noTraffic: twoVersions('quiet', 50, 50),
  undeclared: twoVersions('ratings', 50, 50),
  noSidecar: twoVersions('details', 50, 50),
  history:
    destinationRule('canary', 'canary', { stable: 'v1', canary: 'v2' }) +
    virtualService('canary', 'canary', [
      { host: 'canary', subset: 'stable', weight: 90 },
      { host: 'canary', subset: 'canary', weight: 10 },
    ]),
  tcp: twoVersions('db', 80, 20, { protocol: 'tcp' }),
};

const twoReporters = (flow: Flow): Flow[] => [flow, { ...flow, reporter: 'destination' }];

export const FLOWS: Flow[] = [
  // The seed: sidecars split 20/80 through the mesh VirtualService, the ingress gateway 70/30.
  ...twoReporters({ source: 'sleep', host: fqdn('helloworld-v1'), version: 'v1', rate: 2 }),
  ...twoReporters({ source: 'sleep', host: fqdn('helloworld-v2'), version: 'v2', rate: 8 }),
  ...twoReporters({ source: 'istio-ingressgateway', sourceNamespace: 'istio-system', host: fqdn('helloworld-v1'), version: 'v1', rate: 7 }),
  ...twoReporters({ source: 'istio-ingressgateway', sourceNamespace: 'istio-system', host: fqdn('helloworld-v2'), version: 'v2', rate: 3 }),
  { source: 'sleep', host: fqdn('greeter'), version: 'v1', rate: 7 },
  { source: 'sleep', host: fqdn('greeter'), version: 'v2', rate: 3 },
  { source: 'productpage', host: fqdn('reviews'), version: 'v1', rate: 2.8 },
  { source: 'productpage', host: fqdn('reviews'), version: 'v2', rate: 7.2 },
  // The seed's "about half and half": 5 vs 8 requests in the window.
  { source: 'nginx', host: fqdn('hello'), version: 'v1', rate: 5 / 300 },
  { source: 'nginx', host: fqdn('hello'), version: 'v2', rate: 8 / 300 },
  { source: 'productpage', host: fqdn('ratings'), version: 'v1', rate: 4 },
  { source: 'productpage', host: fqdn('ratings'), version: 'v2', rate: 4 },
  { source: 'productpage', host: fqdn('ratings'), version: 'v3', rate: 2 },
  ...twoReporters({ source: 'productpage', host: fqdn('details'), version: 'v1', rate: 5 }),
  ...twoReporters({ source: 'productpage', host: fqdn('details'), version: 'v2', rate: 5 }),
  // A caller without a sidecar: only the destination proxy sees it, and it bypasses routing.
  { source: 'unknown', sourceNamespace: 'unknown', host: fqdn('details'), version: 'v1', rate: 10, reporter: 'destination' },
  // 90/10 until 20 minutes before the end, then 50/50.
  { source: 'frontend', host: fqdn('canary'), version: 'v1', rate: 9, changeAt: END - 20 * 60, rateAfter: 5 },
  { source: 'frontend', host: fqdn('canary'), version: 'v2', rate: 1, changeAt: END - 20 * 60, rateAfter: 5 },
  { source: 'api', host: fqdn('db'), version: 'v1', rate: 4, metric: 'istio_tcp_connections_opened_total' },
  { source: 'api', host: fqdn('db'), version: 'v2', rate: 1, metric: 'istio_tcp_connections_opened_total' },
];

