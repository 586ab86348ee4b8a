/**
 * The PromQL evaluator of the mock Prometheus: /api/v1/query and /api/v1/query_range over a
 * SeriesSource, computing what Prometheus 2.42 computes for the subset parse.ts accepts.
 *
 * Like promql/engine.go, every node is evaluated over all steps at once (an instant query is a
 * range of one step), into series with a value or a gap at each step. That equals evaluating
 * the instant query at each step and assembling the series, except for one thing only the
 * whole range shows: rate()/increase() drop `__name__`, and two input series that then have
 * the same labels make Prometheus fail the query ("vector cannot contain metrics with the same
 * labelset") even when they never have values at the same step.
 */
import { aggregate, type Element } from './aggregate.js';
import { PromQLError } from './errors.js';
import { extrapolatedRate, type Point } from './extrapolate.js';
import { formatTimestamp, formatValue } from './format.js';
import { compareLabels, labelsKey, toPairs, toRecord, type LabelPairs } from './labels.js';
import { matchesAll } from './matchers.js';
import { parseQuery, type Expr, type SelectorExpr } from './parse.js';
import { apiStepToMs, apiTimeToMs, durationSeconds, secondsToMs } from './time.js';
import type { EvaluateOptions, InstantValue, RangeValue, SeriesSource } from './types.js';

export { PromQLError } from './errors.js';

/** Prometheus' default --query.lookback-delta. */
export const DEFAULT_LOOKBACK_SECONDS = 300;
/** web/api/v1: a range query may have at most this many steps (plus one). */
const MAX_POINTS = 11_000;

interface VectorSeries {
  labels: LabelPairs;
  /** One entry per step; undefined where the series has no value. */
  points: (number | undefined)[];
}

type Value = { type: 'scalar'; values: number[] } | { type: 'vector'; series: VectorSeries[] };

interface Context {
  source: SeriesSource;
  /** Evaluation times in milliseconds, ascending. */
  steps: number[];
  lookbackMs: number;
}

interface SelectedSeries {
  labels: LabelPairs;
  samples: Point[];
}

/** Series matching a selector with their samples in [minMs, maxMs], sorted as the TSDB returns them. */
function select(selector: SelectorExpr, minMs: number, maxMs: number, ctx: Context): SelectedSeries[] {
  const matchers = selector.matchers.map(({ name, op, value }) => ({ name, op, value }));
  const seen = new Set<string>();
  const out: SelectedSeries[] = [];
  for (const series of ctx.source.select(matchers, minMs / 1000, maxMs / 1000)) {
    // The source is trusted for nothing: filter again, in milliseconds.
    if (!matchesAll(series.labels, selector.matchers)) continue;
    const labels = toPairs(series.labels);
    const key = labelsKey(labels);
    if (seen.has(key)) throw new Error(`SeriesSource returned the series ${key} twice`);
    seen.add(key);
    const samples = series.samples
      .map((s) => ({ t: Math.round(s.t * 1000), v: s.v }))
      .filter((p) => p.t >= minMs && p.t <= maxMs)
      .sort((a, b) => a.t - b.t);
    out.push({ labels, samples });
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

/** Instant selector: at each step the newest sample with step − lookback ≤ t ≤ step (engine.go vectorSelectorSingle). */
function evalSelector(selector: SelectorExpr, ctx: Context): VectorSeries[] {
  const { steps, lookbackMs } = ctx;
  const first = steps[0] as number;
  const last = steps[steps.length - 1] as number;
  return select(selector, first - lookbackMs, last, ctx).map(({ labels, samples }) => {
    let next = 0; // first sample after the current step
    const points = steps.map((step) => {
      while (next < samples.length && (samples[next] as Point).t <= step) next++;
      const newest = samples[next - 1];
      return newest !== undefined && newest.t >= step - lookbackMs ? newest.v : undefined;
    });
    return { labels, points };
  });
}

/** rate()/increase(): the window [step − range, step] is closed at both ends in 2.x (engine.go matrixIterSlice). */
function evalCall(expr: Extract<Expr, { kind: 'call' }>, ctx: Context): VectorSeries[] {
  const { steps } = ctx;
  const first = steps[0] as number;
  const last = steps[steps.length - 1] as number;
  const rangeSeconds = durationSeconds(expr.rangeMs);
  const out: VectorSeries[] = [];
  for (const { labels, samples } of select(expr.selector, first - expr.rangeMs, last, ctx)) {
    let from = 0;
    let to = 0;
    const points = steps.map((step) => {
      while (from < samples.length && (samples[from] as Point).t < step - expr.rangeMs) from++;
      while (to < samples.length && (samples[to] as Point).t <= step) to++;
      return extrapolatedRate(samples, step - expr.rangeMs, step, rangeSeconds, true, expr.fn === 'rate', from, to);
    });
    // Functions drop the metric name; series without any value are not part of the result.
    if (points.some((p) => p !== undefined)) out.push({ labels: labels.filter(([name]) => name !== '__name__'), points });
  }
  const keys = new Set<string>();
  for (const series of out) {
    const key = labelsKey(series.labels);
    if (keys.has(key)) throw new PromQLError('vector cannot contain metrics with the same labelset', 'execution');
    keys.add(key);
  }
  return out;
}

function evalAggregate(expr: Extract<Expr, { kind: 'aggregate' }>, ctx: Context): VectorSeries[] {
  const input = evalVector(expr.expr, ctx);
  const output = new Map<string, VectorSeries>();
  ctx.steps.forEach((_, step) => {
    const elements: Element[] = [];
    for (const series of input) {
      const v = series.points[step];
      if (v !== undefined) elements.push({ labels: series.labels, v });
    }
    for (const { labels, v } of aggregate(elements, expr)) {
      const key = labelsKey(labels);
      let series = output.get(key);
      if (!series) {
        series = { labels, points: ctx.steps.map(() => undefined) };
        output.set(key, series);
      }
      series.points[step] = v;
    }
  });
  return [...output.values()];
}

function evalVector(expr: Expr, ctx: Context): VectorSeries[] {
  const value = evaluate(expr, ctx);
  if (value.type !== 'vector') throw new Error('unreachable: parse.ts checks argument types');
  return value.series;
}

function evaluate(expr: Expr, ctx: Context): Value {
  switch (expr.kind) {
    case 'number':
      return { type: 'scalar', values: ctx.steps.map(() => expr.value) };
    case 'negate': {
      const inner = evaluate(expr.expr, ctx);
      if (inner.type !== 'scalar') throw new Error('unreachable: parse.ts only negates scalars');
      return { type: 'scalar', values: inner.values.map((v) => -v) };
    }
    case 'selector':
      return { type: 'vector', series: evalSelector(expr, ctx) };
    case 'call':
      return { type: 'vector', series: evalCall(expr, ctx) };
    case 'aggregate':
      return { type: 'vector', series: evalAggregate(expr, ctx) };
  }
}

function lookbackMs(options: EvaluateOptions | undefined): number {
  const seconds = options?.lookbackDelta ?? DEFAULT_LOOKBACK_SECONDS;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new RangeError(`lookbackDelta must be a positive number of seconds, got ${seconds}`);
  return secondsToMs(seconds);
}

function checkTime(name: string, seconds: number): void {
  if (!Number.isFinite(seconds)) throw new PromQLError(`invalid parameter "${name}": cannot parse ${JSON.stringify(String(seconds))} to a valid timestamp`);
}

/** GET/POST /api/v1/query: the value of `promql` at `time` (unix seconds). */
export function evaluateInstant(promql: string, time: number, source: SeriesSource, options?: EvaluateOptions): InstantValue {
  checkTime('time', time);
  const lookback = lookbackMs(options);
  const expr = parseQuery(promql);
  const ms = apiTimeToMs(time);
  const value = evaluate(expr, { source, steps: [ms], lookbackMs: lookback });
  const t = formatTimestamp(ms);
  if (value.type === 'scalar') return { resultType: 'scalar', result: [t, formatValue(value.values[0] as number)] };
  const result: { metric: Record<string, string>; value: [number, string] }[] = [];
  for (const series of value.series) {
    const v = series.points[0];
    if (v !== undefined) result.push({ metric: toRecord(series.labels), value: [t, formatValue(v)] });
  }
  return { resultType: 'vector', result };
}

/**
 * GET/POST /api/v1/query_range: `promql` at start, start + step, … ≤ end (unix seconds), with
 * the API's checks and Prometheus' messages (web/api/v1/api.go queryRange).
 */
export function evaluateRange(
  promql: string,
  start: number,
  end: number,
  step: number,
  source: SeriesSource,
  options?: EvaluateOptions,
): RangeValue {
  checkTime('start', start);
  checkTime('end', end);
  const startMs = apiTimeToMs(start);
  const endMs = apiTimeToMs(end);
  if (endMs < startMs) throw new PromQLError('invalid parameter "end": end timestamp must not be before start time');
  const stepNs = Math.trunc(step * 1e9);
  if (!Number.isFinite(step) || Math.abs(stepNs) >= 2 ** 63) {
    throw new PromQLError(`invalid parameter "step": cannot parse ${JSON.stringify(String(step))} to a valid duration. It overflows int64`);
  }
  if (stepNs <= 0) {
    throw new PromQLError('invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
  }
  // end.Sub(start)/step: integer division of nanoseconds.
  if ((BigInt(endMs - startMs) * 1_000_000n) / BigInt(stepNs) > BigInt(MAX_POINTS)) {
    throw new PromQLError('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const lookback = lookbackMs(options);
  const expr = parseQuery(promql);
  const stepMs = apiStepToMs(step);
  if (stepMs === 0) {
    // A step under 1 ms passes the API's checks and then divides by zero in the engine.
    throw new PromQLError('unexpected error: runtime error: integer divide by zero', 'execution');
  }
  const steps: number[] = [];
  for (let ts = startMs; ts <= endMs; ts += stepMs) steps.push(ts);
  const value = evaluate(expr, { source, steps, lookbackMs: lookback });
  const times = steps.map(formatTimestamp);
  if (value.type === 'scalar') {
    return { resultType: 'matrix', result: [{ metric: {}, values: value.values.map((v, i) => [times[i] as number, formatValue(v)]) }] };
  }
  const result = value.series
    .filter((series) => series.points.some((p) => p !== undefined))
    .sort((a, b) => compareLabels(a.labels, b.labels))
    .map((series) => {
      const values: [number, string][] = [];
      series.points.forEach((v, i) => {
        if (v !== undefined) values.push([times[i] as number, formatValue(v)]);
      });
      return { metric: toRecord(series.labels), values };
    });
  return { resultType: 'matrix', result };
}
