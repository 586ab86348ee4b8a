import { afterAll, beforeAll, expect, it } from 'vitest';
import { toOpenMetrics } from '../../mocks/openmetrics.js';
import { loadScenario } from '../../mocks/scenario/load.js';
import { ScenarioTraffic } from '../../mocks/scenario/traffic.js';
import { MockPrometheus } from '../../mocks/server.js';
import { loadTemplate, renderTemplate, type TemplateName } from '../../src/query/template.js';
import { describeWithPrometheus, startPrometheus, type RunningPrometheus } from '../support/prometheus.js';

/**
 * The mock against a real Prometheus holding the same samples (the mock's own OpenMetrics
 * export, backfilled with promtool): every template, several windows, reporters and times,
 * instant and range, counter resets included — equal within 1e-9 relative.
 */
const scenario = loadScenario('all');
const END = Math.floor(Date.now() / 1000 / 60) * 60 - 3600;
const T0 = END - scenario.history;

type Result = { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] };

function byLabels(results: Result[]): Map<string, number[]> {
  return new Map(
    results.map((result) => [
      JSON.stringify(Object.entries(result.metric).sort()),
      result.value ? [Number(result.value[1])] : (result.values ?? []).map(([, v]) => Number(v)),
    ]),
  );
}

function expectSame(mock: Result[], real: Result[], context: string): void {
  const a = byLabels(mock);
  const b = byLabels(real);
  expect([...a.keys()].sort(), context).toEqual([...b.keys()].sort());
  for (const [labels, values] of a) {
    const other = b.get(labels)!;
    expect(values.length, context).toBe(other.length);
    values.forEach((value, i) => {
      const expected = other[i]!;
      const error = Math.abs(value - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
      expect(value === expected || error <= 1e-9, `${context} ${labels}: mock ${value} vs prometheus ${expected}`).toBe(true);
    });
  }
}

describeWithPrometheus('mock Prometheus vs real Prometheus on the same samples', () => {
  let prometheus: RunningPrometheus;
  let mock: MockPrometheus;
  const services = [...new Set(scenario.flows.flatMap((flow) => flow.split.map((share) => share.service)))];

  beforeAll(async () => {
    const traffic = new ScenarioTraffic(scenario, T0);
    prometheus = await startPrometheus({ openMetrics: toOpenMetrics(traffic.series(T0, END)) });
    mock = new MockPrometheus(scenario, { wallStart: END });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  async function both(path: string, params: Record<string, string>): Promise<[Result[], Result[]]> {
    const search = new URLSearchParams(params);
    const real = (await (await fetch(`${prometheus.url}${path}?${search}`)).json()) as { status: string; data: { result: Result[] } };
    const fake = mock.handle(path, search).body as { status: string; data: { result: Result[] } };
    expect(real.status).toBe('success');
    expect(fake.status).toBe('success');
    return [fake.data.result, real.data.result];
  }

  const expressions = async (): Promise<string[]> => {
    const rendered: string[] = [];
    for (const name of ['requests', 'tcp-connections'] as TemplateName[]) {
      const template = await loadTemplate(name);
      for (const reporter of ['source', 'destination'] as const) {
        for (const window of ['1m', '5m', '10m']) {
          rendered.push(renderTemplate(template, { reporter, versionLabel: 'destination_version', window, destinationServices: services }));
        }
      }
    }
    return [
      ...rendered,
      'istio_requests_total{reporter="source", destination_service=~"reviews\\\\..*"}',
      'sum without (response_code) (rate(istio_requests_total{source_workload!="unknown"}[2m]))',
      'count by (destination_service) (increase(istio_requests_total[5m]))',
      'sum(increase(istio_tcp_connections_opened_total{destination_version!~"1.*"}[3m]))',
    ];
  };

  it('instant queries at several times agree, templates and hand-written', async () => {
    const times = [END, END - 7, END - 303, T0 + 611, T0 + 20 * 60 + 2];
    let compared = 0;
    for (const expression of await expressions()) {
      for (const time of times) {
        const [fake, real] = await both('/api/v1/query', { query: expression, time: String(time) });
        expectSame(fake, real, `${expression} @ ${time - T0}s`);
        compared += 1;
      }
    }
    expect(compared).toBe(80);
  });

  it('range queries agree', async () => {
    for (const expression of (await expressions()).filter((_, i) => i % 3 === 1)) {
      const [fake, real] = await both('/api/v1/query_range', { query: expression, start: String(END - 1200), end: String(END), step: '60' });
      expectSame(fake, real, `range ${expression}`);
    }
  });
});
