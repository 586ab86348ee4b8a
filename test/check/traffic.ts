import type { Series } from '../support/openmetrics.js';

/** Evaluation instant of the integration tests: 7 s after a sample, off every window edge. */
export const START = 1_750_000_000;
export const STEP = 15;
export const END = START + 40 * 60;
export const AT = END + 7;

export interface Flow {
  source: string;
  sourceNamespace?: string;
  host: string;
  version: string;
  /** Per second. */
  rate: number;
  reporter?: 'source' | 'destination';
  metric?: 'istio_requests_total' | 'istio_tcp_connections_opened_total';
  /** Rate change: from this time on, `rateAfter` applies. */
  changeAt?: number;
  rateAfter?: number;
}

/** A counter growing at a constant rate (optionally changing once), sampled every STEP seconds. */
export function series(flow: Flow): Series {
  const samples = [];
  let value = 0;
  for (let t = START; t <= END; t += STEP) {
    samples.push({ t, v: Math.round(value * 1000) / 1000 });
    const rate = flow.changeAt !== undefined && t >= flow.changeAt ? (flow.rateAfter ?? flow.rate) : flow.rate;
    value += rate * STEP;
  }
  return {
    name: flow.metric ?? 'istio_requests_total',
    labels: {
      reporter: flow.reporter ?? 'source',
      source_workload: flow.source,
      source_workload_namespace: flow.sourceNamespace ?? 'default',
      destination_service: flow.host,
      destination_version: flow.version,
      response_code: '200',
    },
    samples,
  };
}

export const fqdn = (name: string, namespace = 'default') => `${name}.${namespace}.svc.cluster.local`;
