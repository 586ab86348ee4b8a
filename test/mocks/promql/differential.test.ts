/**
 * The mock's PromQL evaluator against a REAL Prometheus 2.42 holding the same samples.
 *
 * A seeded generator builds counters the way meshes produce them — regular 15 s scrapes with
 * any phase (some exactly on the 15 s grid, so window edges fall on samples), irregular
 * intervals, gaps, series starting and ending inside the data, counter resets, integer and
 * fractional increments, small and large start values — plus a gauge with NaN/±Inf and a
 * probe metric for regex matchers. The same samples are backfilled into Prometheus
 * (OpenMetrics, ms timestamps, no duplicates) and loaded into a MemorySource; then every
 * template in queries/ (both reporters, several windows) and hand-written expressions are
 * evaluated by both, instant at several times and as range queries: label sets must be equal
 * and values equal within 1e-9 relative (exactly, for zeros). Errors must agree too.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluateInstant, evaluateRange, PromQLError } from '../../../mocks/promql/evaluate.js';
import { MemorySource } from '../../../mocks/promql/memory-source.js';
import { generator } from '../../../mocks/scenario/random.js';
import type { InstantValue, RangeValue, Series } from '../../../mocks/promql/types.js';
import { loadTemplate, renderTemplate, type TemplateName } from '../../../src/query/template.js';
import { toOpenMetrics, type Series as OpenMetricsSeries } from '../../support/openmetrics.js';
import { BACKFILL_BLOCK_SECONDS, describeWithPrometheus, startPrometheus, type RunningPrometheus } from '../../support/prometheus.js';

// ---- data -------------------------------------------------------------------------------

// Fixed past times; the data crosses a 2 h block boundary (two backfilled blocks).
const BOUNDARY = 1_700_000_000 - (1_700_000_000 % BACKFILL_BLOCK_SECONDS);
const T0 = BOUNDARY - 1800;
const T_END = T0 + 3600;

const SERVICES = [
  ['reviews.default.svc.cluster.local', ['v1', 'v2', 'v3']],
  ['ratings.prod.svc.cluster.local', ['v1']],
  // Matched by an unescaped "reviews.default…" regex: must stay out of the templates' results.
  ['reviewsXdefault.svc.cluster.local', ['v1']],
  // No version label at all.
  ['details.default.svc.cluster.local', [undefined]],
] as const;
const SOURCES = [
  ['productpage', 'default'],
  ['istio-ingressgateway', 'istio-system'],
  ['we"ird\\wl\né☃', 'prod'],
] as const;

type Shape = 'regular-on-grid' | 'regular' | 'irregular' | 'gaps' | 'inside';
const SHAPES: Shape[] = ['regular-on-grid', 'regular', 'irregular', 'gaps', 'inside'];

function counterSamples(rng: () => number, shape: Shape, index: number): { t: number; v: number }[] {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  // Times in integer milliseconds.
  let start = T0 * 1000;
  let end = T_END * 1000;
  if (shape === 'inside') {
    start += Math.floor(rng() * 2400) * 1000 + Math.floor(rng() * 1000);
    end = start + (60 + Math.floor(rng() * 1500)) * 1000 + Math.floor(rng() * 1000);
  }
  const times: number[] = [];
  const phase = shape === 'regular-on-grid' || shape === 'inside' && index % 2 === 0 ? 0 : Math.floor(rng() * 15_000);
  for (let t = start + phase; t <= end; ) {
    times.push(t);
    t += shape === 'irregular' ? 1000 + Math.floor(rng() * 39_000) : 15_000;
  }
  let kept = times;
  if (shape === 'gaps') {
    for (let g = 0; g < 2; g++) {
      const from = T0 * 1000 + Math.floor(rng() * 3000) * 1000;
      const to = from + (120 + Math.floor(rng() * 600)) * 1000;
      kept = kept.filter((t) => t < from || t > to);
    }
  }
  const fractional = index % 3 === 0;
  let v = pick([0, Math.floor(rng() * 20), 1_000_000 + Math.floor(rng() * 1000), fractional ? rng() * 10 : 3]);
  const resets = new Set<number>();
  if (index % 4 === 1) for (let r = 0; r < 1 + Math.floor(rng() * 3); r++) resets.add(Math.floor(rng() * kept.length));
  return kept.map((t, i) => {
    if (i > 0) {
      if (resets.has(i)) v = fractional ? rng() * 2 : Math.floor(rng() * 5);
      else v += fractional ? rng() * 3.7 : Math.floor(rng() * 8);
    }
    return { t: t / 1000, v };
  });
}

function generate(seed: number): Series[] {
  const rng = generator(seed);
  const series: Series[] = [];
  const requestLabels: Record<string, string>[] = [];
  for (const reporter of ['source', 'destination']) {
    for (const [workload, namespace] of SOURCES) {
      for (const [service, versions] of SERVICES) {
        for (const version of versions) {
          if (rng() < 0.35) continue;
          const labels: Record<string, string> = { reporter, source_workload: workload, source_workload_namespace: namespace, destination_service: service };
          if (version) labels.destination_version = version;
          requestLabels.push(labels);
        }
      }
    }
  }
  requestLabels.forEach((labels, i) => {
    series.push({ labels: { __name__: 'istio_requests_total', ...labels }, samples: counterSamples(rng, SHAPES[i % SHAPES.length] as Shape, i) });
  });
  // TCP connections on some of the same label sets: rate({__name__=~"istio_.*"}) then clashes.
  requestLabels.filter((_, i) => i % 3 === 0).forEach((labels, i) => {
    series.push({ labels: { __name__: 'istio_tcp_connections_opened_total', ...labels }, samples: counterSamples(rng, SHAPES[(i + 2) % SHAPES.length] as Shape, i + 1) });
  });
  // A gauge: negative values, drops, NaN and infinities.
  series.push({
    labels: { __name__: 'mesh_split_gauge', kind: 'odd' },
    samples: Array.from({ length: 240 }, (_, k) => ({ t: T0 + 15 * k + 0.25, v: k === 100 ? NaN : k === 180 ? Infinity : k === 181 ? -Infinity : Math.sin(k / 7) * 100 - 20 })),
  });
  series.push({
    labels: { __name__: 'mesh_split_gauge', kind: 'plain' },
    samples: Array.from({ length: 240 }, (_, k) => ({ t: T0 + 15 * k, v: (k % 17) - 8.5 })),
  });
  PROBE_VALUES.forEach((value, k) => {
    const labels: Record<string, string> = { __name__: 'regex_probe', k: String(k) };
    if (value !== '') labels.v = value;
    series.push({ labels, samples: [{ t: T0 + 1800, v: k }] });
  });
  return series;
}

/** Label values for the regex matcher comparison ("" = no such label). */
const PROBE_VALUES = [
  '', 'a', 'b', 'ab', 'aa', 'aaa', 'A', 'a\nb', 'a\rb', 'a.b', 'aXb', 'a{', 'a{,2}', 'a{01}', ']', '-', '_', ' ', '\t', '\u000b', '\u00a0',
  '1', '٣', 'é', '😀', 'abc', 'reviews.default.svc.cluster.local', 'reviewsXdefault.svc.cluster.local', '.*', 'a\nb\nc', 'ß', 'K',
];

/** RE2 patterns both must agree on (Prometheus' answer is the reference). */
const PROBE_REGEXES = [
  '', 'a', 'a|', '.*', '.+', '.', 'a.b', '(?s)a.b', '(?s:a.)b', 'a\\nb', 'a[^x]b', '[]a]', '[^]a]', '[a-]', '[a-c-]+', '\\s', '\\S', '\\w+', '\\W', '\\d',
  '[[:alpha:]]+', '[[:^alpha:]]', '[[:space:]]', '[[:punct:]]', 'a{', 'a{,2}', 'a{01}', 'a{2}', 'a{1,3}', '(?:a{2})+', '(a|b)*', '\\Q.*\\E', '\\Qa{\\E',
  '\\.', '\\.\\*', '\\x{1F600}', '\\x61+', '\\141', '\\x41', '\\_', '\\-', '\\ ', '[\\-\\]]', 'a(?m)$\\n^b', 'a$\\nb', '(?m)a$', '\\Aa\\z', 'a\\b', 'a\\B.',
  '(?P<x>a)(b)', '(?U)a+', '(?-s:.)', 'reviews\\.default\\.svc\\.cluster\\.local', 'reviews.default.svc.cluster.local', '^a$', '^*a', 'a*?', '[^\\n]+',
  '[\\d\\s]', '[^a-z]', '[^\\x00-\\x7f]', '.{2,}', '(?:a|b|ab)c?', 'a\\n.*',
];
/** Valid RE2 the mock refuses (Prometheus answers; the mock must say it does not know). */
const REFUSED_REGEXES = ['(?i)a', 'a(?i:b)', '\\pL', '\\p{Greek}', '[\\PL]'];
/** Invalid RE2: both must answer bad_data. */
const INVALID_REGEXES = ['\\1', '(a)\\1', 'a**', 'a*+', '*a', '(?=a)', '(?<n>a)', 'a{1001}', 'a{2,1}', '((a{10}){10}){11}', '[z-a]', '(a', 'a)', '\\q', '\\Z', '[[:foo:]]', 'a\\', '[a', '\\8', '(?P<>a)'];

// ---- both sides ---------------------------------------------------------------------------

type Answer =
  | { status: 'success'; data: { resultType: string; result: unknown } }
  | { status: 'error'; errorType: string; error: string };

let prometheus: RunningPrometheus;
let memory: MemorySource;

async function real(path: '/api/v1/query' | '/api/v1/query_range', params: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${prometheus.url}${path}`, {
    method: 'POST',
    body: new URLSearchParams(params),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as Answer;
}

function mock(run: () => InstantValue | RangeValue): Answer {
  try {
    return { status: 'success', data: run() };
  } catch (error) {
    if (!(error instanceof PromQLError)) throw error;
    return { status: 'error', errorType: error.errorType, error: error.message };
  }
}

const stats = { instant: 0, range: 0, points: 0, exact: 0, nonEmpty: 0, errors: 0, maxRelative: 0, worst: '' };

function compareValue(context: string, mine: string, theirs: string): void {
  stats.points++;
  if (mine === theirs) {
    stats.exact++;
    return;
  }
  const a = Number(mine.replace('Inf', 'Infinity'));
  const b = Number(theirs.replace('Inf', 'Infinity'));
  expect(a === 0 || b === 0 || !Number.isFinite(a) || !Number.isFinite(b), `${context}: mock ${mine} vs prometheus ${theirs}`).toBe(false);
  const relative = Math.abs(a - b) / Math.abs(b);
  if (relative > stats.maxRelative) {
    stats.maxRelative = relative;
    stats.worst = `${context}: mock ${mine} vs prometheus ${theirs}`;
  }
  expect(relative, `${context}: mock ${mine} vs prometheus ${theirs}`).toBeLessThanOrEqual(1e-9);
}

const key = (metric: Record<string, string>): string => JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : 1)));

function compareAnswers(context: string, mine: Answer, theirs: Answer): void {
  if (theirs.status === 'error' || mine.status === 'error') {
    expect(mine.status, `${context}: ${JSON.stringify(mine)} vs ${JSON.stringify(theirs)}`).toBe(theirs.status);
    if (mine.status === 'error' && theirs.status === 'error') {
      expect(mine.errorType, `${context}: ${mine.error} vs ${theirs.error}`).toBe(theirs.errorType);
      stats.errors++;
    }
    return;
  }
  expect(mine.data.resultType, context).toBe(theirs.data.resultType);
  switch (theirs.data.resultType) {
    case 'scalar': {
      const [mt, mv] = mine.data.result as [number, string];
      const [tt, tv] = theirs.data.result as [number, string];
      expect(mt, context).toBe(tt);
      compareValue(context, mv, tv);
      return;
    }
    case 'vector': {
      type Element = { metric: Record<string, string>; value: [number, string] };
      const mineByKey = new Map((mine.data.result as Element[]).map((e) => [key(e.metric), e.value]));
      const theirsByKey = new Map((theirs.data.result as Element[]).map((e) => [key(e.metric), e.value]));
      expect([...mineByKey.keys()].sort(), context).toEqual([...theirsByKey.keys()].sort());
      expect(mineByKey.size, `${context}: duplicate label sets`).toBe((mine.data.result as Element[]).length);
      if (theirsByKey.size > 0) stats.nonEmpty++;
      for (const [k, [tt, tv]] of theirsByKey) {
        const [mt, mv] = mineByKey.get(k) as [number, string];
        expect(mt, context).toBe(tt);
        compareValue(`${context} ${k}`, mv, tv);
      }
      return;
    }
    case 'matrix': {
      type Row = { metric: Record<string, string>; values: [number, string][] };
      const mineRows = mine.data.result as Row[];
      const theirRows = theirs.data.result as Row[];
      // Range results are sorted by labels in both.
      expect(mineRows.map((r) => key(r.metric)), context).toEqual(theirRows.map((r) => key(r.metric)));
      if (theirRows.length > 0) stats.nonEmpty++;
      theirRows.forEach((row, i) => {
        const other = mineRows[i] as Row;
        expect(other.values.map(([t]) => t), `${context} ${key(row.metric)}`).toEqual(row.values.map(([t]) => t));
        row.values.forEach(([t, v], j) => compareValue(`${context} ${key(row.metric)} @${t}`, (other.values[j] as [number, string])[1], v));
      });
      return;
    }
    default:
      throw new Error(`${context}: unexpected result type ${theirs.data.resultType}`);
  }
}

/** `outcome` guards against a vacuous pass where both sides fail the same way. */
type Outcome = 'success' | 'error';

async function compareInstant(promql: string, time: number, outcome: Outcome = 'success'): Promise<void> {
  stats.instant++;
  const theirs = await real('/api/v1/query', { query: promql, time: String(time) });
  expect(theirs.status, `prometheus on ${promql}: ${JSON.stringify(theirs).slice(0, 300)}`).toBe(outcome);
  const mine = mock(() => evaluateInstant(promql, time, memory));
  compareAnswers(`instant ${promql} @ ${time - T0} s`, mine, theirs);
}

async function compareRange(promql: string, start: number, end: number, step: number, outcome: Outcome = 'success'): Promise<void> {
  stats.range++;
  const theirs = await real('/api/v1/query_range', { query: promql, start: String(start), end: String(end), step: String(step) });
  expect(theirs.status, `prometheus on ${promql}: ${JSON.stringify(theirs).slice(0, 300)}`).toBe(outcome);
  const mine = mock(() => evaluateRange(promql, start, end, step, memory));
  compareAnswers(`range ${promql} [${start - T0}, ${end - T0}] step ${step}`, mine, theirs);
}

// Evaluation times (unix seconds): before the data, on the 15 s grid (window edges on samples),
// mid-data with a millisecond fraction, near the end, after the end within the lookback, after it.
const TIMES = [T0 - 30, T0 + 1500, T0 + 1807.123, T_END - 20.5, T_END + 120, T_END + 400];
const RANGES: [number, number, number][] = [
  [T0 - 120, T_END + 420, 60],
  [T0 + 1000.5, T0 + 1300, 15],
  [T_END - 200, T_END + 330, 37.25],
];

const HAND_WRITTEN = [
  'istio_requests_total',
  'istio_requests_total{destination_version=""}',
  'istio_requests_total{destination_service=~"reviews.*", reporter!="destination"}',
  '{__name__=~"istio_.*_total", reporter="source", destination_version!~"v1|v3"}',
  'rate(istio_requests_total[5m])',
  'rate(istio_requests_total{destination_service=~"reviews\\\\.default\\\\..*"}[1m])',
  'increase(istio_tcp_connections_opened_total[90s])',
  'increase(istio_requests_total[1h30m])',
  'rate((istio_requests_total[10m]))',
  'increase(istio_requests_total[20s])',
  'sum without (source_workload_namespace, reporter) (rate(istio_requests_total[2m]))',
  'sum(rate(istio_requests_total[5m])) without (destination_version)',
  'count by (destination_service) (istio_requests_total)',
  'count(istio_requests_total{destination_service!~"reviews.*"})',
  'count without () (istio_tcp_connections_opened_total)',
  'sum(increase(istio_requests_total{destination_version=~"v[12]"}[10m])) by (destination_version)',
  'sum by (__name__) (istio_requests_total)',
  'sum by (source_workload) (count by (source_workload, destination_service) (increase(istio_requests_total[5m])))',
  'SUM BY (reporter) (istio_requests_total)',
  'mesh_split_gauge',
  'rate(mesh_split_gauge[5m])',
  'increase(mesh_split_gauge{kind="plain"}[3m])',
  'sum(mesh_split_gauge)',
  '1.5',
  '-0x10',
  '017',
  '- Inf',
  'NaN',
  '(2)',
  'sum(nothing_here)',
];

/** Expressions whose answer is an error in Prometheus 2.42: the mock must fail the same way. */
const FAILING = [
  'rate({__name__=~"istio_.*_total"}[5m])', // execution: same labelset after dropping __name__
  'sum(increase({__name__=~"istio_.*_total"}[10m]))',
  '{reporter=""}',
  'istio_requests_total{__name__="x"}',
  'rate(istio_requests_total)',
  'rate(istio_requests_total[0s])',
  'rate(istio_requests_total[300])',
  'sum(1)',
  'sum by (a (x)',
  'foo(x)',
  '',
  '1_000',
  'x{a="\\\'"}',
];

// ---- the comparison -----------------------------------------------------------------------

describeWithPrometheus('mock PromQL evaluator vs real Prometheus 2.42 on the same samples', () => {
  const templates: string[] = [];
  const generated = generate(20_231_114);

  beforeAll(async () => {
    const series = generated;
    const forOpenMetrics = (s: Series): OpenMetricsSeries => {
      const { __name__: name, ...labels } = s.labels;
      return { name: name as string, labels, samples: s.samples };
    };
    const isCounter = (s: Series) => s.labels.__name__?.endsWith('_total') === true;
    prometheus = await startPrometheus({
      openMetrics: toOpenMetrics({ counters: series.filter(isCounter).map(forOpenMetrics), gauges: series.filter((s) => !isCounter(s)).map(forOpenMetrics) }),
    });
    memory = new MemorySource(series);
    for (const name of ['requests', 'tcp-connections'] as TemplateName[]) {
      const template = await loadTemplate(name);
      for (const reporter of ['source', 'destination'] as const) {
        for (const window of ['1m', '5m', '10m']) {
          templates.push(
            renderTemplate(template, {
              reporter,
              versionLabel: 'destination_version',
              window,
              destinationServices: ['reviews.default.svc.cluster.local', 'ratings.prod.svc.cluster.local', 'details.default.svc.cluster.local'],
            }),
          );
        }
      }
    }
  });

  afterAll(async () => {
    await prometheus?.stop();
    process.stdout.write(
      `\n[promql differential] ${stats.instant} instant + ${stats.range} range queries (${stats.nonEmpty} with a non-empty result, ` +
        `${stats.errors} agreeing errors), ${stats.points} values compared, ${stats.exact} identical strings, ` +
        `max relative error ${stats.maxRelative}${stats.worst ? ` (${stats.worst})` : ''}\n`,
    );
  });

  it('the generated data has what the comparison is about', () => {
    const counters = generated.filter((s) => s.labels.__name__?.endsWith('_total'));
    const has = (test: (s: Series) => boolean) => counters.filter(test).length;
    const drops = (s: Series) => s.samples.some((p, i) => i > 0 && p.v < (s.samples[i - 1]?.v ?? 0));
    const intervals = (s: Series) => s.samples.slice(1).map((p, i) => Math.round((p.t - (s.samples[i]?.t ?? 0)) * 1000));
    expect(counters.length).toBeGreaterThanOrEqual(25);
    expect(has(drops)).toBeGreaterThanOrEqual(3); // counter resets
    expect(has((s) => s.samples.some((p) => !Number.isInteger(p.v)))).toBeGreaterThanOrEqual(5); // fractional values
    expect(has((s) => new Set(intervals(s)).size > 20)).toBeGreaterThanOrEqual(3); // irregular scrapes
    expect(has((s) => intervals(s).some((d) => d >= 120_000))).toBeGreaterThanOrEqual(3); // gaps
    expect(has((s) => (s.samples[0]?.t ?? 0) > T0 + 60 && (s.samples.at(-1)?.t ?? 0) < T_END - 60)).toBeGreaterThanOrEqual(3); // start and end inside
    expect(has((s) => s.samples.some((p) => p.t === T0 + 1500) && s.samples.some((p) => p.t === T0 + 900))).toBeGreaterThanOrEqual(3); // window edges on samples
    expect(has((s) => !Number.isInteger(s.samples[0]?.t ?? 0))).toBeGreaterThanOrEqual(5); // millisecond timestamps
  });

  it('every template in queries/ (both reporters, 1m/5m/10m), instant at six times', async () => {
    expect(templates).toHaveLength(12);
    for (const promql of templates) for (const time of TIMES) await compareInstant(promql, time);
    // The decoy service must not leak into the templates' results.
    const sample = evaluateInstant(templates[2] as string, T0 + 1807.123, memory);
    expect(JSON.stringify(sample)).not.toContain('reviewsXdefault');
    expect(JSON.stringify(sample)).toContain('reviews.default');
  });

  it('every template as range queries', async () => {
    for (const promql of templates) for (const [start, end, step] of RANGES) await compareRange(promql, start, end, step);
  });

  it('hand-written expressions: selectors, rate, increase, sum/count by and without, scalars', async () => {
    for (const promql of HAND_WRITTEN) {
      for (const time of TIMES) await compareInstant(promql, time);
      for (const [start, end, step] of RANGES) await compareRange(promql, start, end, step);
    }
  });

  it('regex matchers select the same series', async () => {
    for (const regex of PROBE_REGEXES) {
      const literal = JSON.stringify(regex); // Go's string escapes agree with JSON's
      await compareInstant(`regex_probe{v=~${literal}}`, T0 + 1800);
      await compareInstant(`regex_probe{v!~${literal}}`, T0 + 1800);
    }
  });

  it('valid RE2 that the mock refuses: Prometheus answers, the mock says it does not know', async () => {
    for (const regex of REFUSED_REGEXES) {
      const promql = `regex_probe{v=~${JSON.stringify(regex)}}`;
      expect((await real('/api/v1/query', { query: promql, time: String(T0 + 1800) })).status, promql).toBe('success');
      const mine = mock(() => evaluateInstant(promql, T0 + 1800, memory));
      expect(mine.status === 'error' && mine.errorType === 'bad_data' && /not supported/.test(mine.error), promql).toBe(true);
    }
  });

  it('errors agree: invalid regexes, invalid queries, same labelset after rate()', async () => {
    for (const regex of INVALID_REGEXES) await compareInstant(`regex_probe{v=~${JSON.stringify(regex)}}`, T0 + 1800, 'error');
    for (const promql of FAILING) {
      await compareInstant(promql, T0 + 1807.123, 'error');
      await compareRange(promql, T0 + 1000, T0 + 1300, 60, 'error');
    }
    // And the range checks of the HTTP API.
    await compareRange('1', T0 + 10, T0, 1, 'error');
    await compareRange('1', T0, T0 + 10, 0, 'error');
    await compareRange('1', T0, T0 + 11_001, 1, 'error');
    await compareRange('1', T0, T0 + 11_000, 1);
    await compareRange('istio_requests_total', T0 + 1800, T0 + 1800.0005, 0.0001, 'error');
  });
});
