import { describe, expect, it } from 'vitest';
import { evaluateInstant, evaluateRange, PromQLError } from '../../../mocks/promql/evaluate.js';
import { MemorySource } from '../../../mocks/promql/memory-source.js';
import type { InstantValue, Series } from '../../../mocks/promql/types.js';

// The harness smoke test's fixture (test/support/prometheus-harness.test.ts), hand-computed.
const T0 = 1_699_999_200 - 900;
const STEP = 15;
const EVAL = T0 + 100 * STEP + 7; // increase(x[10m]) sees k = 61..100
const REVIEWS = 'reviews.default.svc.cluster.local';

function counter(labels: Record<string, string>, from: number, to: number, value: (k: number, prev: number | undefined) => number, name = 'istio_requests_total'): Series {
  const samples = [];
  let prev: number | undefined;
  for (let k = from; k <= to; k++) {
    prev = value(k, prev);
    samples.push({ t: T0 + k * STEP, v: prev });
  }
  return { labels: { __name__: name, ...labels }, samples };
}

const base = { reporter: 'source', destination_service: REVIEWS, source_workload: 'productpage', source_workload_namespace: 'default' };
const s1 = counter({ ...base, destination_version: 'v1' }, 0, 120, (k) => 1000 + 3 * k);
const s2 = counter({ ...base, destination_version: 'v2' }, 0, 120, (k, prev) => (k === 0 ? 500 : k === 70 ? 3 : (prev ?? 0) + (k % 4) + 1));
const s3 = counter({ ...base, source_workload: 'other', destination_version: 'v2' }, 80, 120, (k) => 2 + 5 * (k - 80));
const s4 = counter({ ...base, source_workload: 'late-joiner', destination_version: 'v1' }, 80, 95, (k) => 1000 + 5 * (k - 80));
// Would match an unescaped "reviews.default…" regex.
const decoy = counter({ ...base, destination_service: 'reviewsXdefault.svc.cluster.local', destination_version: 'v1' }, 0, 120, (k) => 7 * k);
const destinationSide = counter({ ...base, reporter: 'destination', destination_version: 'v1' }, 0, 120, (k) => 1000 + 3 * k);
// No version label at all.
const unversioned = counter({ ...base, source_workload: 'curl' }, 0, 120, (k) => 2 * k);
const source = new MemorySource([s1, s2, s3, s4, decoy, destinationSide, unversioned]);

const vector = (value: InstantValue) => {
  if (value.resultType !== 'vector') throw new Error(`expected a vector, got ${value.resultType}`);
  return value.result;
};
const instant = (promql: string, time = EVAL) => vector(evaluateInstant(promql, time, source));
const one = (promql: string, time = EVAL): number => {
  const result = instant(promql, time);
  expect(result, promql).toHaveLength(1);
  return Number(result[0]?.value[1]);
};
const byLabel = (promql: string, label: string, time = EVAL) =>
  Object.fromEntries(instant(promql, time).map((r) => [r.metric[label] ?? '', Number(r.value[1])]));

function expectError(run: () => unknown, type: 'bad_data' | 'execution', message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PromQLError);
    expect((error as PromQLError).errorType).toBe(type);
    expect((error as PromQLError).message).toMatch(message);
    return;
  }
  throw new Error(`expected a PromQLError matching ${message}`);
}

describe('instant vector selectors', () => {
  it('returns the newest sample in [t − 5m, t] with its labels, stamped with the evaluation time', () => {
    const [r] = instant(`istio_requests_total{destination_version="v1",source_workload="productpage",reporter="source"}`);
    expect(r?.metric).toEqual({ __name__: 'istio_requests_total', ...base, destination_version: 'v1' });
    expect(r?.value).toEqual([EVAL, String(1000 + 3 * 100)]);
  });

  it('the lookback delta is closed: a sample exactly 300 s old is returned, 300.001 s is not', () => {
    const last = T0 + 95 * STEP; // s4's last sample
    const q = 'istio_requests_total{source_workload="late-joiner"}';
    expect(instant(q, last + 300)).toHaveLength(1);
    expect(instant(q, last + 300.001)).toHaveLength(0);
    expect(instant(q, T0 + 80 * STEP - 0.001)).toHaveLength(0);
    expect(instant(q, T0 + 80 * STEP)).toHaveLength(1);
    // lookbackDelta is an option, as --query.lookback-delta is.
    expect(vector(evaluateInstant(q, last + 60, source, { lookbackDelta: 59 }))).toHaveLength(0);
    expect(vector(evaluateInstant(q, last + 60, source, { lookbackDelta: 60 }))).toHaveLength(1);
  });

  it('matchers: = and != treat a missing label as "", regexes are anchored, dots escaped stay dots', () => {
    expect(instant('istio_requests_total{destination_version=""}').map((r) => r.metric.source_workload)).toEqual(['curl']);
    expect(instant('istio_requests_total{destination_version!=""}')).toHaveLength(6);
    expect(instant('istio_requests_total{destination_service=~"reviews"}')).toHaveLength(0);
    expect(instant('istio_requests_total{destination_service=~"reviews.*"}')).toHaveLength(7);
    expect(instant('istio_requests_total{destination_service=~"reviews\\\\.default\\\\.svc\\\\.cluster\\\\.local"}')).toHaveLength(6);
    expect(instant('istio_requests_total{destination_service=~"reviews.default.svc.cluster.local"}')).toHaveLength(7);
    expect(instant('istio_requests_total{destination_service!~"reviews\\\\..*",reporter!="destination"}')).toHaveLength(1);
    expect(instant('{__name__=~"istio_.*",source_workload="other"}')).toHaveLength(1);
    expect(instant('{source_workload="other"}')).toHaveLength(1);
    expect(instant("istio_requests_total{destination_version=~'v1|v2', source_workload=`other`}")).toHaveLength(1);
  });

  it('refuses selectors Prometheus refuses', () => {
    expectError(() => instant('{destination_version=""}'), 'bad_data', /1:1: parse error: vector selector must contain at least one non-empty matcher/);
    expectError(() => instant('{a=~".*"}'), 'bad_data', /at least one non-empty matcher/);
    expectError(() => instant('istio_requests_total{__name__="x"}'), 'bad_data', /metric name must not be set twice: "istio_requests_total" or "x"/);
    expectError(() => instant('x{a=~"\\\\1"}'), 'bad_data', /1:3: parse error: error parsing regexp: invalid escape sequence/);
    expectError(() => instant('x{a=~"(?i)b"}'), 'bad_data', /1:3: not supported by mesh-split's mock Prometheus: case-insensitive/);
    expectError(() => instant('x{a="\\\'"}'), 'bad_data', /unknown escape sequence/);
    // Positions are line:column with the column in UTF-8 bytes, as Go counts (é is 2 bytes).
    expectError(() => instant('x{b="é", a=~"\\\\1"}'), 'bad_data', /^invalid parameter "query": 1:11: parse error: error parsing regexp/);
    expectError(() => instant('x{b="é",\n a=~"\\\\1"}'), 'bad_data', /^invalid parameter "query": 2:2: parse error/);
  });
});

describe('increase() and rate()', () => {
  it('extrapolate as Prometheus does, and drop __name__', () => {
    const got = instant('increase(istio_requests_total{reporter="source",destination_service=~"reviews\\\\..*"}[10m])');
    const by = Object.fromEntries(got.map((r) => [`${r.metric.source_workload}/${r.metric.destination_version}`, Number(r.value[1])]));
    expect(by['productpage/v1']).toBeCloseTo(120, 9); // steady: 117 × 600/585
    expect(by['other/v2']).toBeCloseTo((100 * 313) / 300, 9); // late start, zero clamp
    expect(by['late-joiner/v1']).toBeCloseTo(80, 9); // early end: half an interval each side
    expect(by['curl/undefined']).toBeCloseTo((2 * 39 * 600) / 585, 9);
    for (const r of got) expect(r.metric.__name__).toBeUndefined();
    expect(one(`rate(istio_requests_total{source_workload="productpage",destination_version="v1",reporter="source",destination_service="${REVIEWS}"}[10m])`)).toBeCloseTo(0.2, 12);
  });

  it('corrects counter resets', () => {
    // s2 in k = 61..100: reset at k = 70 from 500 + increments.
    const inWindow = s2.samples.filter((s) => s.t >= EVAL - 600 && s.t <= EVAL);
    let raw = inWindow[inWindow.length - 1]!.v - inWindow[0]!.v;
    for (let i = 1; i < inWindow.length; i++) if (inWindow[i]!.v < inWindow[i - 1]!.v) raw += inWindow[i - 1]!.v;
    const sampled = (inWindow[inWindow.length - 1]!.t - inWindow[0]!.t);
    const expected = (raw * (sampled + (inWindow[0]!.t - (EVAL - 600)) + (EVAL - inWindow[inWindow.length - 1]!.t))) / sampled;
    expect(one('increase(istio_requests_total{source_workload="productpage",destination_version="v2"}[10m])')).toBeCloseTo(expected, 9);
  });

  it('the range window is closed at both ends, as in Prometheus 2.x', () => {
    const edge = new MemorySource([{ labels: { __name__: 'c_total' }, samples: [{ t: 1000, v: 0 }, { t: 1010, v: 100 }, { t: 1020, v: 110 }] }]);
    // [1000, 1020] holds all three samples: +110 over 20 s, nothing to extrapolate.
    expect(vector(evaluateInstant('increase(c_total[20s])', 1020, edge))[0]?.value[1]).toBe('110');
    // Open on the left (as in Prometheus 3) it would hold two: +10 over 10 s, extrapolated to
    // 20 s — what a window 1 ms later gives.
    expect(Number(vector(evaluateInstant('increase(c_total[20s])', 1020.001, edge))[0]?.value[1])).toBeCloseTo(20, 9);
  });

  it('needs two samples in the window', () => {
    expect(instant('increase(istio_requests_total{source_workload="late-joiner"}[15s])', T0 + 95 * STEP + 1)).toHaveLength(0);
    expect(instant('increase(istio_requests_total{source_workload="late-joiner"}[16s])', T0 + 95 * STEP + 1)).toHaveLength(1);
  });

  it('durations: 1h30m, 90s, 500ms; rate divides by the range in seconds', () => {
    const q = (d: string) => one(`rate(istio_requests_total{source_workload="productpage",destination_version="v1",reporter="source",destination_service="${REVIEWS}"}[${d}])`, T0 + 120 * STEP);
    expect(q('1h30m')).toBeCloseTo((360 * (1800 + 7.5)) / 1800 / 5400, 12); // start gap > 1.1 × 15 s
    expect(q('90s')).toBeCloseTo(0.2, 12);
    expect(instant('rate(istio_requests_total[500ms])')).toHaveLength(0);
  });

  it('fails like Prometheus (execution error) when dropping __name__ leaves two series with the same labels', () => {
    const twins = new MemorySource([
      { labels: { __name__: 'a_total', x: '1' }, samples: [{ t: 0, v: 0 }, { t: 15, v: 1 }, { t: 2000, v: 5 }, { t: 2015, v: 6 }] },
      { labels: { __name__: 'b_total', x: '1' }, samples: [{ t: 1000, v: 0 }, { t: 1015, v: 1 }, { t: 2000, v: 5 }, { t: 2015, v: 6 }] },
    ]);
    // At 15 and 1015 only one of them has two samples in the window: no clash at that instant.
    expect(vector(evaluateInstant('rate({x="1"}[1m])', 15, twins))).toHaveLength(1);
    expect(vector(evaluateInstant('rate({x="1"}[1m])', 1015, twins))).toHaveLength(1);
    expectError(() => evaluateInstant('rate({x="1"}[1m])', 2015, twins), 'execution', /^vector cannot contain metrics with the same labelset$/);
    expectError(() => evaluateInstant('sum(rate({x="1"}[1m]))', 2015, twins), 'execution', /same labelset/);
    // A range query sees the whole range: the clash is an error even though the values never meet.
    expectError(() => evaluateRange('rate({x="1"}[1m])', 15, 1015, 1000, twins), 'execution', /same labelset/);
    // Plain selectors keep __name__, so they never clash.
    expect(vector(evaluateInstant('{x="1"}', 2015, twins))).toHaveLength(2);
  });
});

describe('sum and count', () => {
  const inc = 'increase(istio_requests_total{reporter="source",destination_service=~"reviews\\\\.default\\\\.svc\\\\.cluster\\\\.local"}[10m])';

  it('sum by (…) before or after the argument; groups on the labels kept', () => {
    const before = byLabel(`sum by (destination_version) (${inc})`, 'destination_version');
    const after = byLabel(`sum(${inc}) by (destination_version)`, 'destination_version');
    expect(before).toEqual(after);
    expect(Object.keys(before).sort()).toEqual(['', 'v1', 'v2']);
    expect(before.v1).toBeCloseTo(200, 9); // 120 + 80
    const full = instant(`sum by (source_workload, source_workload_namespace, destination_service, destination_version) (${inc})`);
    expect(full).toHaveLength(5);
    expect(full.find((r) => r.metric.source_workload === 'curl')?.metric).toEqual({ source_workload: 'curl', source_workload_namespace: 'default', destination_service: REVIEWS });
  });

  it('count, no grouping, without (also drops __name__), by (__name__) (keeps it)', () => {
    expect(one('count(istio_requests_total)')).toBe(7);
    expect(instant('count(istio_requests_total)')[0]?.metric).toEqual({});
    expect(byLabel('count by (reporter) (istio_requests_total)', 'reporter')).toEqual({ source: 6, destination: 1 });
    expect(byLabel(`count without (source_workload) (istio_requests_total{reporter="source",destination_service="${REVIEWS}"})`, 'destination_version')).toEqual({ v1: 2, v2: 2, '': 1 });
    const without = instant('sum without (source_workload, source_workload_namespace, reporter) (istio_requests_total{destination_version="v2"})');
    expect(without).toEqual([{ metric: { destination_service: REVIEWS, destination_version: 'v2' }, value: [EVAL, expect.any(String)] }]);
    expect(instant('count without () (istio_requests_total{source_workload="curl"})')[0]?.metric.__name__).toBeUndefined();
    expect(instant('sum by (__name__) (istio_requests_total)')[0]?.metric).toEqual({ __name__: 'istio_requests_total' });
    expect(instant('SUM BY (reporter) (istio_requests_total)')).toHaveLength(2);
    expect(one('sum(count by (reporter) (istio_requests_total))')).toBe(7);
  });

  it('nothing in, nothing out', () => {
    expect(instant('sum(nothing_here)')).toEqual([]);
    expect(instant('count by (a) (increase(istio_requests_total[10m]))', T0 - 60)).toEqual([]);
  });
});

describe('range evaluation', () => {
  it('evaluates at start, start + step, … ≤ end and keeps points only where there is a value', () => {
    const q = 'istio_requests_total{source_workload="late-joiner"}';
    const start = T0 + 60 * STEP;
    const { resultType, result } = evaluateRange(q, start, start + 1000, 100, source);
    expect(resultType).toBe('matrix');
    expect(result).toHaveLength(1);
    // Present from its first sample (k = 80, t0 + 1200, a step) until 300 s after its last (t0 + 1425).
    const times = result[0]!.values.map(([t]) => t - T0);
    expect(times).toEqual([1200, 1300, 1400, 1500, 1600, 1700]);
    for (const [t, v] of result[0]!.values) expect(v).toBe(instant(q, t)[0]?.value[1]);
  });

  it('equals the instant query at every step, series sorted by labels', () => {
    const q = 'sum by (source_workload, destination_version) (rate(istio_requests_total[1m]))';
    const start = T0 - 120;
    const step = 37.5;
    const { result } = evaluateRange(q, start, T0 + 2400, step, source);
    const keys = result.map((r) => JSON.stringify(r.metric));
    expect(keys).toEqual([...keys].sort());
    let points = 0;
    for (let t = start; t <= T0 + 2400; t += step) {
      const expected = instant(q, t);
      for (const e of expected) {
        const series = result.find((r) => JSON.stringify(r.metric) === JSON.stringify(e.metric));
        expect(series?.values.find(([at]) => at === t)?.[1]).toBe(e.value[1]);
        points++;
      }
    }
    expect(result.reduce((n, r) => n + r.values.length, 0)).toBe(points);
  });

  it('scalars give one series without labels; millisecond steps', () => {
    expect(evaluateRange('1.5', 100, 100.9, 0.3003, source)).toEqual({
      resultType: 'matrix',
      result: [{ metric: {}, values: [[100, '1.5'], [100.3, '1.5'], [100.6, '1.5'], [100.9, '1.5']] }],
    });
  });

  it('checks start, end and step as the HTTP API does', () => {
    expectError(() => evaluateRange('1', 10, 9, 1, source), 'bad_data', /^invalid parameter "end": end timestamp must not be before start time$/);
    expectError(() => evaluateRange('1', 10, 20, 0, source), 'bad_data', /zero or negative query resolution step widths are not accepted/);
    expectError(() => evaluateRange('1', 10, 20, -1, source), 'bad_data', /zero or negative/);
    expectError(() => evaluateRange('1', 0, 11_001, 1, source), 'bad_data', /^exceeded maximum resolution of 11,000 points per timeseries/);
    expect(evaluateRange('1', 0, 11_000, 1, source).result[0]?.values).toHaveLength(11_001);
    expectError(() => evaluateRange('1', 10, 10.0005, 0.0001, source), 'execution', /integer divide by zero/);
    expectError(() => evaluateRange('x[5m]', 10, 20, 1, source), 'bad_data', /not supported/);
  });
});

describe('scalars', () => {
  const scalar = (promql: string) => evaluateInstant(promql, 100, source);
  it('number literals, signs folded as Prometheus does', () => {
    expect(scalar('1.5')).toEqual({ resultType: 'scalar', result: [100, '1.5'] });
    expect(scalar('-1')).toEqual({ resultType: 'scalar', result: [100, '-1'] });
    expect(scalar('- -1')).toEqual({ resultType: 'scalar', result: [100, '1'] });
    expect(scalar('-(2)')).toEqual({ resultType: 'scalar', result: [100, '-2'] });
    expect(scalar('(017)')).toEqual({ resultType: 'scalar', result: [100, '15'] });
    expect(scalar('-Inf')).toEqual({ resultType: 'scalar', result: [100, '-Inf'] });
    expect(scalar('NaN')).toEqual({ resultType: 'scalar', result: [100, 'NaN'] });
    expect(scalar('1e21 # comment')).toEqual({ resultType: 'scalar', result: [100, '1000000000000000000000'] });
  });
});

describe('everything else is refused (bad_data), never a wrong number', () => {
  const refused: [string, RegExp][] = [
    ['istio_requests_total + 1', /binary operators/],
    ['1 + 1', /binary operators/],
    ['istio_requests_total offset 5m', /offset modifier/],
    ['rate(istio_requests_total[5m] offset 1m)', /offset modifier/],
    ['istio_requests_total @ 100', /@ modifier/],
    ['rate(istio_requests_total[5m:1m])', /subqueries/],
    ['max_over_time(istio_requests_total[5m:1m])', /the function max_over_time\(\)/],
    ['irate(istio_requests_total[5m])', /the function irate\(\)/],
    ['delta(istio_requests_total[5m])', /the function delta\(\)/],
    ['topk(3, istio_requests_total)', /the aggregation topk\(\)/],
    ['avg(istio_requests_total)', /the aggregation avg\(\)/],
    ['istio_requests_total[5m]', /range vector selectors outside rate\(\) and increase\(\)/],
    ['-istio_requests_total', /unary operators on vectors/],
    ['"text"', /string literals/],
    ['rate(x[5m] @ 100)', /@ modifier/],
    ['rate(x[1m+1m])', /duration expressions/],
  ];
  it.each(refused)('%s', (promql, message) => {
    expectError(() => instant(promql), 'bad_data', new RegExp(`^invalid parameter "query": \\d+:\\d+: not supported by mesh-split's mock Prometheus: .*${message.source}`));
  });

  const invalid: [string, RegExp][] = [
    ['', /1:1: parse error: no expression found in input/],
    ['# only a comment', /no expression found/],
    ['sum by (a (x)', /parse error: unexpected/],
    ['foo(x)', /1:1: parse error: unknown function with name "foo"/],
    ['RATE(x[5m])', /parse error: unknown function with name "RATE"/],
    ['sum(foo(x))', /1:5: parse error: unknown function with name "foo"/],
    ['x{a="b" c="d"}', /parse error/],
    ['rate(x)', /expected type range vector in call to function "rate", got instant vector/],
    ['rate(1)', /expected type range vector in call to function "rate", got scalar/],
    ['rate(x[5m], 1)', /expected 1 argument\(s\) in call to "rate", got 2/],
    ['increase()', /expected 1 argument\(s\) in call to "increase", got 0/],
    ['sum(1)', /expected type instant vector in aggregation expression, got scalar/],
    ['sum(x[5m])', /expected type instant vector in aggregation expression, got range vector/],
    ['sum(x, x)', /wrong number of arguments for aggregate expression provided, expected 1, got 2/],
    ['rate(x[0s])', /duration must be greater than 0/],
    ['rate(x[300])', /missing unit character in duration/],
    ['rate(x[5m1h])', /parse error/],
    ['x{"a.b"="c"}', /parse error/],
    ['1_000', /parse error: error parsing number/],
    ['1e400', /value out of range/],
  ];
  it.each(invalid)('parse error: %s', (promql, message) => {
    expectError(() => instant(promql), 'bad_data', new RegExp(`^invalid parameter "query": .*${message.source}`));
  });
});

describe('MemorySource', () => {
  it('selects matching series with the samples in [start, end], both ends included', () => {
    const m = new MemorySource([{ labels: { __name__: 'x', a: '1' }, samples: [{ t: 3, v: 3 }, { t: 1, v: 1 }, { t: 2, v: 2 }] }]);
    expect(m.select([{ name: '__name__', op: '=', value: 'x' }], 1, 2)).toEqual([{ labels: { __name__: 'x', a: '1' }, samples: [{ t: 1, v: 1 }, { t: 2, v: 2 }] }]);
    expect(m.select([{ name: 'a', op: '=~', value: '1|2' }], 0, 10)[0]?.samples).toHaveLength(3);
    expect(m.select([{ name: 'a', op: '!=', value: '1' }], 0, 10)).toEqual([]);
  });
  it('refuses what a TSDB cannot hold', () => {
    expect(() => new MemorySource([{ labels: { __name__: 'x' }, samples: [] }, { labels: { __name__: 'x', a: '' }, samples: [] }])).toThrow(/duplicate series/);
    expect(() => new MemorySource([{ labels: { __name__: 'x' }, samples: [{ t: 1, v: 1 }, { t: 1.0001, v: 2 }] }])).toThrow(/two samples/);
  });
});
