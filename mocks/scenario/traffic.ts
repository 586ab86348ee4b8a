import type { Sample, Series } from '../promql/types.js';
import { generator, hash, normal, poisson } from './random.js';
import type { Flow, Scenario, SplitShare } from './schema.js';
import { Timeline } from './timeline.js';

const METRIC = { requests: 'istio_requests_total', connections: 'istio_tcp_connections_opened_total' } as const;

/** One counter the scenario's proxies export. */
interface CounterDefinition {
  labels: Record<string, string>;
  flow: Flow;
  flowIndex: number;
  destination: SplitShare;
  /** Cumulative counts per scrape index since the last reset, filled as time advances. */
  values: number[];
}

/** The labels Istio's standard metrics carry, for one caller → destination pair. */
function istioLabels(flow: Flow, destination: SplitShare, reporter: 'source' | 'destination'): Record<string, string> {
  const [serviceName = destination.service, serviceNamespace = 'default'] = destination.service.split('.');
  const caller = flow.source.sidecar ? flow.source : { workload: 'unknown', namespace: 'unknown' };
  const labels: Record<string, string> = {
    __name__: METRIC[flow.metric],
    reporter,
    source_workload: caller.workload,
    source_workload_namespace: caller.namespace,
    source_canonical_service: caller.workload,
    destination_service: destination.service,
    destination_service_name: serviceName,
    destination_service_namespace: serviceNamespace,
    destination_workload: `${serviceName}-${destination.version}`,
    destination_workload_namespace: serviceNamespace,
    destination_version: destination.version,
    destination_canonical_revision: destination.version,
    destination_canonical_service: serviceName,
    connection_security_policy: flow.source.sidecar ? 'mutual_tls' : 'none',
    request_protocol: flow.metric === 'requests' ? 'http' : 'tcp',
  };
  if (flow.metric === 'requests') labels.response_code = '200';
  return labels;
}

/**
 * The samples a Prometheus scraping the scenario's proxies every `scrapeInterval` would hold.
 * Scenario time 0 is unix time `t0`. Counts are Poisson around the true split (plus jitter of
 * the rate), seeded per (flow, destination, scrape), so any instant can be computed alone.
 */
export class ScenarioTraffic {
  readonly timeline: Timeline;
  private readonly counters: CounterDefinition[] = [];

  constructor(
    readonly scenario: Scenario,
    readonly t0: number,
  ) {
    this.timeline = new Timeline(scenario);
    scenario.flows.forEach((flow, flowIndex) => {
      const reporters: ('source' | 'destination')[] = flow.source.sidecar ? ['source', 'destination'] : ['destination'];
      for (const destination of this.timeline.destinations(flow)) {
        for (const reporter of reporters) {
          this.counters.push({ labels: istioLabels(flow, destination, reporter), flow, flowIndex, destination, values: [] });
        }
      }
    });
  }

  /** Requests in scrape interval k (ending at scenario time k × interval). */
  private increment(counter: CounterDefinition, k: number): number {
    const { scrapeInterval, seed } = this.scenario;
    const { flow, destination } = counter;
    const state = this.timeline.flowState(flow, (k - 1) * scrapeInterval);
    const share = state.split.find((item) => item.service === destination.service && item.version === destination.version);
    if (!share) return 0;
    const total = state.split.reduce((sum, item) => sum + item.percent, 0) || 1;
    // One jitter per flow and interval, so the split itself stays true to the model.
    const jitter = Math.max(0, 1 + flow.noise * normal(generator(hash(seed, flow.id, 'jitter', k))));
    const mean = state.rate * jitter * scrapeInterval * (share.percent / total);
    return poisson(mean, generator(hash(seed, flow.id, destination.service, destination.version, k)));
  }

  private valuesUpTo(counter: CounterDefinition, k: number): number[] {
    const { scrapeInterval } = this.scenario;
    const resets = this.timeline.resets(counter.flow).map((at) => Math.ceil(at / scrapeInterval));
    for (let index = counter.values.length; index <= k; index++) {
      if (index === 0 || resets.includes(index)) counter.values.push(index === 0 ? 0 : this.increment(counter, index));
      else counter.values.push((counter.values[index - 1] ?? 0) + this.increment(counter, index));
    }
    return counter.values;
  }

  /** Every counter with its samples at scrape times within [start, end] (unix seconds). */
  series(start: number, end: number): Series[] {
    const { scrapeInterval } = this.scenario;
    const first = Math.max(0, Math.ceil((start - this.t0) / scrapeInterval));
    const last = Math.floor((end - this.t0) / scrapeInterval);
    return this.counters.map((counter) => {
      const samples: Sample[] = [];
      if (last >= first) {
        const values = this.valuesUpTo(counter, last);
        for (let k = first; k <= last; k++) samples.push({ t: this.t0 + k * scrapeInterval, v: values[k] ?? 0 });
      }
      return { labels: counter.labels, samples };
    });
  }
}
