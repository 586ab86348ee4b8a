// Deterministic generators for the benchmark:
//  - a kubectl-style `kind: List` of N VirtualServices with their DestinationRules and Services
//    (what `kubectl get vs,dr,svc -A -o yaml|json` prints: all VS, then all DR, then all Services),
//  - the Istio request counters a real Prometheus is backfilled with (OpenMetrics text).
//
// CLI:  node bench/generate.mjs list N yaml|json > file
import { createWriteStream } from 'node:fs';
import { stringify } from 'yaml';
// The mock's seeded PRNG (built by `npm run build`, which `npm run bench` runs first), so every run
// generates the same bytes.
import { generator as rng } from '../dist/mocks/scenario/random.js';

export const NAMESPACES = 20;
export const SOURCES = 20;
export const VERSIONS = ['v1', 'v2', 'v3'];
const WEIGHTS = [
  [80, 15, 5],
  [60, 30, 10],
  [34, 33, 33],
  [50, 25, 25],
  [90, 5, 5],
];

const pad = (i) => String(i).padStart(4, '0');
export const serviceName = (i) => `svc-${pad(i)}`;
export const namespaceOf = (i) => `ns-${String(i % NAMESPACES).padStart(2, '0')}`;
export const fqdn = (i) => `${serviceName(i)}.${namespaceOf(i)}.svc.cluster.local`;
export const weightsOf = (i) => WEIGHTS[i % WEIGHTS.length];

function uid(r) {
  const h = () => Math.floor(r() * 0x10000).toString(16).padStart(4, '0');
  return `${h()}${h()}-${h()}-${h()}-${h()}-${h()}${h()}${h()}`;
}

function metadata(r, i, extra = {}) {
  return {
    creationTimestamp: '2025-03-14T09:26:53Z',
    generation: 1 + (i % 7),
    ...extra,
    name: serviceName(i),
    namespace: namespaceOf(i),
    resourceVersion: String(1_000_000 + i * 37),
    uid: uid(r),
  };
}

function virtualService(r, i) {
  const w = weightsOf(i);
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: metadata(r, i),
    spec: {
      hosts: [serviceName(i)],
      http: [
        {
          retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,refused-stream' },
          route: VERSIONS.map((version, k) => ({ destination: { host: serviceName(i), port: { number: 8080 }, subset: version }, weight: w[k] })),
          timeout: '10s',
        },
      ],
    },
  };
}

function destinationRule(r, i) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: metadata(r, i),
    spec: {
      host: serviceName(i),
      subsets: VERSIONS.map((version) => ({ labels: { version }, name: version })),
      trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 1024, maxRequestsPerConnection: 100 } }, loadBalancer: { simple: 'LEAST_REQUEST' } },
    },
  };
}

function service(r, i) {
  const ip = `10.96.${Math.floor(i / 250)}.${(i % 250) + 2}`;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(r, i, { labels: { app: serviceName(i), 'app.kubernetes.io/part-of': 'bench' } }),
    spec: {
      clusterIP: ip,
      clusterIPs: [ip],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ appProtocol: 'http', name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: serviceName(i) },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
}

/** The List object: N VirtualServices, N DestinationRules, N Services. */
export function manifestList(n) {
  const r = rng(42);
  const items = [];
  for (let i = 0; i < n; i++) items.push(virtualService(r, i));
  for (let i = 0; i < n; i++) items.push(destinationRule(r, i));
  for (let i = 0; i < n; i++) items.push(service(r, i));
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** As `kubectl get -o yaml` prints it: block style, sequences not indented under their key. */
export function listYaml(n) {
  return stringify(manifestList(n), { indentSeq: false, lineWidth: 0 });
}

/** As `kubectl get -o json` prints it: 4-space indentation. */
export function listJson(n) {
  return `${JSON.stringify(manifestList(n), null, 4)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Metrics

/**
 * The truth the counters follow, per VirtualService: most follow their weights, every 20th
 * drifts by 12 points, every 25th has hardly any traffic (inconclusive). Requests/s per source.
 */
export function trafficOf(i) {
  const w = weightsOf(i);
  let shares = w.map((x) => x / 100);
  // Drift: 12 points move from the largest share (always the first) to the last.
  if (i % 20 === 7) shares = [shares[0] - 0.12, shares[1], shares[2] + 0.12];
  const rate = i % 25 === 11 ? 0.002 : 0.5 + (i % 9) * 0.4;
  return { shares, rate };
}

const LABEL_ORDER = (i, source, version) =>
  `{destination_service="${fqdn(i)}",destination_version="${version}",reporter="source",source_workload="client-${String(source).padStart(2, '0')}",source_workload_namespace="clients"}`;

/**
 * Writes OpenMetrics for `istio_requests_total`: every (VS i < nAll, version, source) series gets
 * samples at `evalTimes`; series of VS i < nWatch also get `watchTimes` (later, sorted after).
 * Returns the number of sample lines.
 */
export async function writeOpenMetrics(path, { nAll, nWatch, evalTimes, watchTimes }) {
  const out = createWriteStream(path);
  let lines = 0;
  let chunk = '# TYPE istio_requests counter\n';
  const flush = async (force) => {
    if (chunk.length < 1 << 20 && !force) return;
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
    chunk = '';
  };
  const r = rng(7);
  for (let i = 0; i < nAll; i++) {
    const { shares, rate } = trafficOf(i);
    const times = i < nWatch ? [...evalTimes, ...watchTimes] : evalTimes;
    for (let k = 0; k < VERSIONS.length; k++) {
      for (let source = 0; source < SOURCES; source++) {
        const labels = LABEL_ORDER(i, source, VERSIONS[k]);
        let value = Math.floor(r() * 5000);
        let previous = times[0];
        for (const t of times) {
          const dt = t - previous;
          previous = t;
          // Poisson-ish: expected count plus a little noise, never decreasing.
          const expected = rate * shares[k] * dt;
          value += Math.max(0, Math.round(expected + (r() - 0.5) * Math.sqrt(expected + 1)));
          chunk += `istio_requests_total${labels} ${value} ${t}\n`;
          lines++;
        }
        await flush(false);
      }
    }
  }
  chunk += '# EOF\n';
  await flush(true);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [what, n, format] = process.argv.slice(2);
  if (what !== 'list' || !n) {
    process.stderr.write('usage: node bench/generate.mjs list N yaml|json\n');
    process.exit(64);
  }
  process.stdout.write(format === 'json' ? listJson(Number(n)) : listYaml(Number(n)));
}
