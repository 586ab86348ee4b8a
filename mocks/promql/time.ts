/**
 * Time as Prometheus 2.42 handles it: the TSDB and the engine work in integer milliseconds;
 * the HTTP API turns the float seconds it is given into those milliseconds in a particular
 * way, and PromQL durations have their own syntax.
 */

/** Go's math.Round: half away from zero (Math.round rounds half towards +∞). */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Milliseconds of an API time given as float seconds, as web/api/v1 parseTime does it
 * (`s, ns := math.Modf(t); ns = math.Round(ns*1000) / 1000; time.Unix(int64(s), int64(ns*1e9))`)
 * followed by the engine's timeMilliseconds (UnixNano / 1e6, truncated).
 */
export function apiTimeToMs(seconds: number): number {
  if (!Number.isFinite(seconds)) throw new RangeError(`time must be finite, got ${seconds}`);
  const whole = Math.trunc(seconds);
  const fraction = goRound((seconds - whole) * 1000) / 1000;
  // whole and fraction have the same sign, so truncating the nanoseconds of the fraction
  // alone truncates UnixNano()/1e6 (whole * 1e9 would not fit in a double exactly).
  return whole * 1000 + Math.trunc(Math.trunc(fraction * 1e9) / 1e6) + 0;
}

/**
 * Milliseconds of a query_range step given as float seconds: web/api/v1 parseDuration gives
 * `time.Duration(d * float64(time.Second))` (truncated to ns), and the engine truncates it
 * again to milliseconds (`durationMilliseconds`).
 */
export function apiStepToMs(seconds: number): number {
  return Math.trunc(Math.trunc(seconds * 1e9) / 1e6);
}

/** The lookback delta option (seconds) in milliseconds. */
export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
/** time.Duration is int64 nanoseconds: the largest duration in milliseconds. */
const MAX_DURATION_MS = Number(2n ** 63n / 1_000_000n);

/**
 * A PromQL duration (`5m`, `1h30m`, `500ms`) in milliseconds, as prometheus/common
 * model.ParseDuration reads it: units y w d h m s ms, each at most once, largest first.
 * Returns an error text (Prometheus' wording) instead when it is not one.
 */
export function parseDurationMs(text: string): number | string {
  if (text === '') return 'empty duration string';
  // The lexer only emits a duration token when a unit follows the number.
  if (/^\d+$/.test(text)) return 'missing unit character in duration';
  const match = DURATION.exec(text);
  if (!match) return `not a valid duration string: ${JSON.stringify(text)}`;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const amount = match[i + 1];
    if (amount !== undefined) ms += Number(amount) * (UNIT_MS[i] ?? 1);
  }
  if (!Number.isSafeInteger(ms) || ms >= MAX_DURATION_MS) return 'duration out of range';
  return ms;
}

/** Go's time.Duration.Seconds() for a whole number of milliseconds (extrapolatedRate divides by it). */
export function durationSeconds(ms: number): number {
  const seconds = Math.trunc(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1e6;
  return seconds + nanos / 1e9;
}
