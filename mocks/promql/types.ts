/**
 * The data model of the mock Prometheus' PromQL evaluator, and the JSON shapes it answers with
 * (the `data` of Prometheus' HTTP API, https://prometheus.io/docs/prometheus/latest/querying/api/).
 */

export interface Sample {
  /** Unix seconds with (at most) millisecond precision, as the TSDB stores them. */
  t: number;
  v: number;
}

export interface Series {
  /** Every label, including `__name__`. */
  labels: Record<string, string>;
  /** Sorted by `t`, one sample per millisecond at most. */
  samples: Sample[];
}

export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  /** For `=~` and `!~` an RE2 regular expression, fully anchored when matching. */
  value: string;
}

/** Where the evaluator reads data: every series whose labels match, with the samples in [start, end] (inclusive). */
export interface SeriesSource {
  select(matchers: LabelMatcher[], start: number, end: number): Series[];
}

export type InstantValue =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'scalar'; result: [number, string] };

export interface RangeValue {
  resultType: 'matrix';
  result: { metric: Record<string, string>; values: [number, string][] }[];
}

export interface EvaluateOptions {
  /** Prometheus' --query.lookback-delta in seconds; default 300 (5m). */
  lookbackDelta?: number;
}
