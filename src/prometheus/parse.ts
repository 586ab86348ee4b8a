/**
 * Strict parsing of Prometheus HTTP API response bodies (`/api/v1/query`, `/query_range`,
 * `/status/buildinfo`). Pure; throws `ShapeError` for anything that is not the API's shape.
 *
 * Why not prometheus-query's own `QueryResult`: it parses values with `parseFloat`, which turns
 * Prometheus' `"+Inf"`/`"-Inf"` into NaN, converts timestamps to `Date` (sub-millisecond
 * precision lost, and the truncation can shift a sample by 1 ms), and drops `warnings`.
 */

export type Labels = Record<string, string>;

export interface InstantSample {
  labels: Labels;
  value: number;
}

export interface RangePoint {
  /** Unix time in seconds (fractional: Prometheus timestamps have millisecond precision). */
  t: number;
  v: number;
}

export interface RangeSeries {
  labels: Labels;
  points: RangePoint[];
}

/** The body does not have the shape of the Prometheus API; `detail` is safe to show. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

/** Go's `strconv.FormatFloat` output and what `ParseFloat` accepts for the specials. */
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const POS_INF = /^\+?inf(?:inity)?$/i;
const NEG_INF = /^-inf(?:inity)?$/i;
const NAN = /^nan$/i;

/** `"NaN"` → NaN, `"+Inf"` → Infinity, `"-Inf"` → -Infinity, `"1.5e3"` → 1500. */
export function parseSampleValue(raw: unknown): number {
  if (typeof raw === 'number') {
    // Not what Prometheus sends, but some compatible servers do; JSON cannot hold NaN/Inf.
    return raw;
  }
  if (typeof raw !== 'string') throw new ShapeError('a sample value that is not a string');
  if (FLOAT.test(raw)) return Number(raw);
  if (NAN.test(raw)) return Number.NaN;
  if (POS_INF.test(raw)) return Number.POSITIVE_INFINITY;
  if (NEG_INF.test(raw)) return Number.NEGATIVE_INFINITY;
  throw new ShapeError('a sample value that is not a number');
}

export function parseTimestamp(raw: unknown): number {
  const t = typeof raw === 'string' && FLOAT.test(raw) ? Number(raw) : raw;
  if (typeof t !== 'number' || !Number.isFinite(t)) throw new ShapeError('a sample timestamp that is not a number');
  return t;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseLabels(raw: unknown): Labels {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw new ShapeError('series labels that are not an object');
  // Checked in place, not copied: the object comes fresh from JSON.parse (a watch parses ~10,000
  // label sets a refresh). JSON.parse makes every key, `__proto__` too, an own data property.
  for (const key in raw) {
    if (typeof raw[key] !== 'string') throw new ShapeError('a label value that is not a string');
  }
  return raw as Labels;
}

function parsePair(raw: unknown): RangePoint {
  const [time, value] = pair(raw);
  return { t: parseTimestamp(time), v: parseSampleValue(value) };
}

function pair(raw: unknown): [unknown, unknown] {
  if (!Array.isArray(raw) || raw.length !== 2) throw new ShapeError('a sample that is not a [time, value] pair');
  return raw as [unknown, unknown];
}

/** An instant sample's value; its timestamp is only checked (the query's time is known). */
function pairValue(raw: unknown): number {
  const [time, value] = pair(raw);
  parseTimestamp(time);
  return parseSampleValue(value);
}

/** A Prometheus envelope: `{status, data?, errorType?, error?, warnings?}`. */
export interface Envelope {
  status: 'success' | 'error';
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings: string[];
}

/**
 * The envelope, or undefined when `body` is not JSON with a `status` of `success`/`error`.
 */
export function readEnvelope(parsed: unknown): Envelope | undefined {
  if (!isRecord(parsed)) return undefined;
  const status = parsed.status;
  if (status !== 'success' && status !== 'error') return undefined;
  const warnings = Array.isArray(parsed.warnings)
    ? parsed.warnings.filter((w): w is string => typeof w === 'string')
    : [];
  return {
    status,
    data: parsed.data,
    ...(typeof parsed.errorType === 'string' ? { errorType: parsed.errorType } : {}),
    ...(typeof parsed.error === 'string' ? { error: parsed.error } : {}),
    warnings,
  };
}

export interface ParsedData<T> {
  value: T;
  /** Notes of our own, e.g. skipped native-histogram series. */
  notes: string[];
}

function resultOf(data: unknown): { resultType: string; result: unknown } {
  if (!isRecord(data)) throw new ShapeError('no "data" object');
  const { resultType, result } = data;
  if (typeof resultType !== 'string') throw new ShapeError('no "data.resultType"');
  return { resultType, result };
}

/**
 * `data` of an instant query. A vector gives one sample per series; a scalar gives one sample
 * without labels. A matrix or string is a query problem (the caller reports it as such), shown
 * by `WrongResultType`.
 */
export function parseInstantData(data: unknown): ParsedData<InstantSample[]> {
  const { resultType, result } = resultOf(data);
  if (resultType === 'scalar') {
    return { value: [{ labels: {}, value: pairValue(result) }], notes: [] };
  }
  if (resultType !== 'vector') throw new WrongResultType('vector', resultType);
  if (!Array.isArray(result)) throw new ShapeError('a vector result that is not a list');
  const samples: InstantSample[] = [];
  let histograms = 0;
  for (const item of result) {
    if (!isRecord(item)) throw new ShapeError('a vector element that is not an object');
    if (item.value === undefined && item.histogram !== undefined) {
      histograms++;
      continue;
    }
    samples.push({ labels: parseLabels(item.metric), value: pairValue(item.value) });
  }
  return { value: samples, notes: histogramNote(histograms) };
}

/** `data` of a range query: always a matrix. */
export function parseRangeData(data: unknown): ParsedData<RangeSeries[]> {
  const { resultType, result } = resultOf(data);
  if (resultType !== 'matrix') throw new WrongResultType('matrix', resultType);
  if (!Array.isArray(result)) throw new ShapeError('a matrix result that is not a list');
  const series: RangeSeries[] = [];
  let histograms = 0;
  for (const item of result) {
    if (!isRecord(item)) throw new ShapeError('a matrix element that is not an object');
    if (item.values === undefined && item.histograms !== undefined) {
      histograms++;
      continue;
    }
    if (!Array.isArray(item.values)) throw new ShapeError('a matrix series without "values"');
    if (item.histograms !== undefined) histograms++;
    series.push({ labels: parseLabels(item.metric), points: item.values.map(parsePair) });
  }
  return { value: series, notes: histogramNote(histograms) };
}

function histogramNote(count: number): string[] {
  return count === 0 ? [] : [`mesh-split ignored native-histogram samples in ${count} series`];
}

/** The query evaluated to another type than the endpoint needs (e.g. `foo[5m]` as an instant query). */
export class WrongResultType extends Error {
  override readonly name = 'WrongResultType';
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`expected a ${expected} result, got ${got}`);
  }
}

export interface BuildInfo {
  version: string;
  revision?: string;
  branch?: string;
  buildDate?: string;
  goVersion?: string;
}

export function parseBuildInfoData(data: unknown): BuildInfo {
  if (!isRecord(data)) throw new ShapeError('no "data" object');
  if (typeof data.version !== 'string') throw new ShapeError('no "data.version"');
  const info: BuildInfo = { version: data.version };
  for (const key of ['revision', 'branch', 'buildDate', 'goVersion'] as const) {
    const value = data[key];
    if (typeof value === 'string') info[key] = value;
  }
  return info;
}
