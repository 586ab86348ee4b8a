/**
 * Smoke test of the real-Prometheus harness: backfill known counters, start
 * Prometheus, and check increase()/sum by() against Prometheus' own
 * extrapolation rules, plus label escaping round-trips.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSampleLines, escapeLabelValue, toOpenMetrics, type Sample, type Series } from './openmetrics.js';
import {
  BACKFILL_BLOCK_SECONDS,
  describeWithPrometheus,
  instantQuery,
  rangeQuery,
  startPrometheus,
  type RunningPrometheus,
  type VectorSample,
} from './prometheus.js';

/**
 * Oracle for increase()/rate() as implemented by Prometheus 2.42,
 * promql/functions.go `extrapolatedRate` (same logic since 2.3, until 3.x):
 *
 *  1. The window of `x[r]` evaluated at T holds the samples with
 *     T - r <= t <= T (closed on both ends in 2.x). Fewer than 2 -> no result.
 *  2. resultValue = last - first, plus, for counters, the value before every
 *     drop (a drop is a counter reset).
 *  3. durationToStart = first.t - (T - r), durationToEnd = T - last.t,
 *     sampledInterval = last.t - first.t, avg = sampledInterval / (n - 1).
 *  4. Zero clamp (counters only, if resultValue > 0 and first >= 0): the
 *     counter cannot have been below 0, so the start is extrapolated at most to
 *     where the line through the samples hits zero:
 *     durationToStart = min(durationToStart, sampledInterval * first / resultValue).
 *  5. Extrapolation limit: each side is extrapolated to the window edge only if
 *     the gap is < 1.1 * avg; otherwise by avg / 2 only (the series is assumed
 *     to start/end there).
 *  6. increase = resultValue * (sampledInterval + startExt + endExt) / sampledInterval;
 *     rate = that / r.
 * Times are in milliseconds internally, as in the TSDB.
 */
function expectedIncrease(samples: Sample[], evalTime: number, rangeSeconds: number): number | undefined {
  const endMs = Math.round(evalTime * 1000);
  const startMs = endMs - rangeSeconds * 1000;
  const pts = samples
    .map((s) => ({ t: Math.round(s.t * 1000), v: s.v }))
    .filter((p) => p.t >= startMs && p.t <= endMs)
    .sort((a, b) => a.t - b.t);
  if (pts.length < 2) return undefined;
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  let resultValue = last.v - first.v;
  let prev = first.v;
  for (const p of pts.slice(1)) {
    if (p.v < prev) resultValue += prev;
    prev = p.v;
  }
  let durationToStart = (first.t - startMs) / 1000;
  const durationToEnd = (endMs - last.t) / 1000;
  const sampledInterval = (last.t - first.t) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (pts.length - 1);
  if (resultValue > 0 && first.v >= 0) {
    const durationToZero = sampledInterval * (first.v / resultValue);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
  return resultValue * (extrapolateToInterval / sampledInterval);
}

// ---- fixture --------------------------------------------------------------

const STEP = 15;
// A fixed past time: 2023-11-14T22:00:00Z is a 2 h block boundary; the data
// starts 15 min before it, so the backfill produces two blocks.
const BOUNDARY = 1_700_000_000 - (1_700_000_000 % BACKFILL_BLOCK_SECONDS);
const T0 = BOUNDARY - 900;
const STEPS = 120; // 121 samples = 30 min at 15 s
// Evaluate 7 s after the sample at k=100: no sample sits on a window edge.
// increase(x[10m]) then sees k = 61..100 (t0+915 .. t0+1500).
const EVAL = T0 + 100 * STEP + 7;
const WEIRD = 'a"b\\c\nd é☃';

function counter(labels: Record<string, string>, from: number, to: number, value: (k: number, prev: number | undefined) => number): Series {
  const samples: Sample[] = [];
  let prev: number | undefined;
  for (let k = from; k <= to; k++) {
    prev = value(k, prev);
    samples.push({ t: T0 + k * STEP, v: prev });
  }
  return { name: 'istio_requests_total', labels, samples, help: 'Requests (test fixture).' };
}

const base = { destination_service: 'reviews', source_workload: 'productpage' };
// v1: steady +3 per step over the whole 30 min.
const s1 = counter({ ...base, destination_version: 'v1' }, 0, STEPS, (k) => 1000 + 3 * k);
// v2: increments 1,2,3,4,1,... with a counter reset to 3 at k=70 (inside the window).
const s2 = counter({ ...base, destination_version: 'v2' }, 0, STEPS, (k, prev) =>
  k === 0 ? 500 : k === 70 ? 3 : (prev ?? 0) + (k % 4) + 1,
);
// v2 from another workload, starting mid-window at a small value: zero clamp.
const s3 = counter(
  { destination_service: 'reviews', source_workload: 'other', destination_version: 'v2', weird: WEIRD },
  80,
  STEPS,
  (k) => 2 + 5 * (k - 80),
);
// v1 late joiner that also stops early, with a large start value:
// no zero clamp, both ends extrapolated by avg/2 only.
const s4 = counter({ ...base, source_workload: 'late-joiner', destination_version: 'v1' }, 80, 95, (k) => 1000 + 5 * (k - 80));
const gauge: Series = {
  name: 'mesh_split_fixture_gauge',
  labels: { weird: WEIRD },
  samples: Array.from({ length: STEPS + 1 }, (_, k) => ({ t: T0 + k * STEP, v: k / 4 })),
};
const counters = [s1, s2, s3, s4];
const text = toOpenMetrics({ counters, gauges: [gauge] });

// ---- pure tests of the writer ----------------------------------------------

describe('OpenMetrics writer', () => {
  it('emits a spec-shaped counter family: TYPE without _total, samples with _total, # EOF', () => {
    const out = toOpenMetrics({
      counters: [{ name: 'istio_requests_total', labels: { a: 'x' }, samples: [{ t: 1700000000.5, v: 2 }, { t: 1700000000, v: 1 }] }],
      gauges: [{ name: 'g', samples: [{ t: 1700000000, v: Infinity }] }],
    });
    expect(out).toBe(
      [
        '# TYPE istio_requests counter',
        'istio_requests_total{a="x"} 1 1700000000',
        'istio_requests_total{a="x"} 2 1700000000.5',
        '# TYPE g gauge',
        'g +Inf 1700000000',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslash, double quote and newline in label values (and nothing else)', () => {
    expect(escapeLabelValue('a"b\\c\nd é\t')).toBe('a\\"b\\\\c\\nd é\t');
    expect(text).toContain('weird="a\\"b\\\\c\\nd é☃"');
  });

  it('rejects what promtool would mangle or drop silently', () => {
    const one = (name: string, samples: Sample[], labels?: Record<string, string>) => () =>
      toOpenMetrics({ counters: [{ name, samples, ...(labels ? { labels } : {}) }] });
    expect(one('istio_requests', [{ t: 1, v: 1 }])).toThrow(/_total/);
    expect(one('x_total', [{ t: 1, v: 1 }, { t: 1, v: 2 }])).toThrow(/duplicate timestamp/);
    expect(one('x_total', [{ t: 1.0001, v: 1 }])).toThrow(/millisecond/);
    expect(one('x_total', [{ t: 1, v: -1 }])).toThrow(/>= 0/);
    expect(one('x_total', [{ t: 1, v: 1 }], { 'bad-name': 'v' })).toThrow(/label name/);
    expect(() => toOpenMetrics({ counters: [{ name: 'x_total', samples: [] }], gauges: [{ name: 'x_total', samples: [] }] })).toThrow(/clashes/);
  });

  it('the oracle reproduces hand-computed values', () => {
    // s1: 39 steps of 3 = 117 over 585 s, extrapolated 8 s + 7 s -> 117 * 600 / 585.
    expect(expectedIncrease(s1.samples, EVAL, 600)).toBeCloseTo(120, 9);
    // s3: k=80..100, +100 over 300 s; 293 s gap to window start, but zero point
    // is 300 * 2/100 = 6 s before the first sample -> (300 + 6 + 7) / 300.
    expect(expectedIncrease(s3.samples, EVAL, 600)).toBeCloseTo((100 * 313) / 300, 9);
    // s4: k=80..95, +75 over 225 s; both gaps > 1.1 * 15 s -> 7.5 s each side.
    expect(expectedIncrease(s4.samples, EVAL, 600)).toBeCloseTo((75 * 240) / 225, 9);
  });
});

// ---- against a real Prometheus -------------------------------------------

function byLabel(rs: VectorSample[], label: string): Map<string, number> {
  return new Map(rs.map((r) => [r.metric[label] ?? '', r.value]));
}

function expectClose(actual: number | undefined, expected: number | undefined): void {
  expect(actual).toBeDefined();
  expect(expected).toBeDefined();
  expect(Math.abs(actual! - expected!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected!)));
}

describeWithPrometheus('Prometheus harness (real prometheus)', () => {
  let prom: RunningPrometheus;

  beforeAll(async () => {
    prom = await startPrometheus({ openMetrics: text });
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it('backfilled every sample, into two 2 h-aligned blocks', () => {
    const blocks = prom.backfillOutput.split('\n').filter((l) => /^[0-9A-Z]{26}\s/.test(l));
    expect(blocks).toHaveLength(2);
    // columns: ULID MIN_TIME MAX_TIME ...; the second block starts at the 2 h boundary
    const minTimes = blocks.map((l) => Number(l.split(/\s+/)[1])).sort((a, b) => a - b);
    expect(minTimes).toEqual([T0 * 1000, BOUNDARY * 1000]);
    expect(countSampleLines(text)).toBe(121 + 121 + 41 + 16 + 121);
  });

  it('stores the counter under exactly istio_requests_total', async () => {
    const names = await instantQuery(prom.url, 'count by (__name__)({__name__=~"istio_requests.*"})', EVAL);
    expect(names.map((r) => r.metric.__name__)).toEqual(['istio_requests_total']);
    expect(names[0]!.value).toBe(4);
  });

  it('increase(istio_requests_total[10m]) follows the extrapolation rules per series', async () => {
    const rs = await instantQuery(prom.url, 'increase(istio_requests_total[10m])', EVAL);
    expect(rs).toHaveLength(4);
    const got = new Map(rs.map((r) => [`${r.metric.source_workload}/${r.metric.destination_version}`, r.value]));
    expectClose(got.get('productpage/v1'), 120);
    expectClose(got.get('other/v2'), (100 * 313) / 300);
    expectClose(got.get('late-joiner/v1'), 80);
    expectClose(got.get('productpage/v2'), expectedIncrease(s2.samples, EVAL, 600));
    // rate() is the same divided by the range.
    const rates = await instantQuery(prom.url, 'rate(istio_requests_total{source_workload="productpage",destination_version="v1"}[10m])', EVAL);
    expectClose(rates[0]?.value, 120 / 600);
  });

  it('query_range evaluates the same rules at every step', async () => {
    const [series, ...rest] = await rangeQuery(prom.url, 'increase(istio_requests_total{destination_version="v2",source_workload="productpage"}[10m])', EVAL - 300, EVAL, 60);
    expect(rest).toHaveLength(0);
    expect(series!.points.map((p) => p.t)).toEqual([0, 1, 2, 3, 4, 5].map((i) => EVAL - 300 + 60 * i));
    for (const p of series!.points) expectClose(p.value, expectedIncrease(s2.samples, p.t, 600));
  });

  it('sum by (destination_version)(increase(...[10m])) matches the oracle', async () => {
    const rs = await instantQuery(prom.url, 'sum by (destination_version)(increase(istio_requests_total[10m]))', EVAL);
    const got = byLabel(rs, 'destination_version');
    expect([...got.keys()].sort()).toEqual(['v1', 'v2']);
    const inc = (s: Series) => expectedIncrease(s.samples, EVAL, 600)!;
    expectClose(got.get('v1'), inc(s1) + inc(s4));
    expectClose(got.get('v1'), 200);
    expectClose(got.get('v2'), inc(s2) + inc(s3));
  });

  it('round-trips label values with quote, backslash, newline and UTF-8', async () => {
    const rs = await instantQuery(prom.url, 'istio_requests_total{source_workload="other"}', EVAL);
    expect(rs).toHaveLength(1);
    expect(rs[0]!.metric.weird).toBe(WEIRD);
    // and the value can be matched back from PromQL (Go string escapes == JSON's here)
    const matched = await instantQuery(prom.url, `mesh_split_fixture_gauge{weird=${JSON.stringify(WEIRD)}}`, EVAL);
    expect(matched).toHaveLength(1);
    expect(matched[0]!.metric.weird).toBe(WEIRD);
    expect(matched[0]!.value).toBe(100 / 4);
  });

  it('has no staleness markers: a series stays visible for the 5 m lookback after its last sample', async () => {
    const lastOfS4 = T0 + 95 * STEP;
    const at = async (t: number) =>
      (await instantQuery(prom.url, 'istio_requests_total{source_workload="late-joiner"}', t)).length;
    expect(await at(lastOfS4 + 299)).toBe(1);
    expect(await at(lastOfS4 + 301)).toBe(0);
    // and nothing at "now": queries must always pass time=
    expect((await instantQuery(prom.url, 'istio_requests_total', Date.now() / 1000)).length).toBe(0);
  });
});
