/**
 * increase() and rate() over one series' samples in a range window, exactly as Prometheus
 * 2.42 computes them (promql/functions.go extrapolatedRate; same rules from 2.3 until 3.0):
 *
 *  - fewer than 2 samples in the window → no value;
 *  - resultValue = last − first, plus the value before every drop (a counter reset);
 *  - the result is extrapolated from the sampled interval towards the window edges: fully
 *    when the gap to an edge is below 1.1 × the average interval between samples, else by
 *    half an average interval only (the series is taken to start or end there);
 *  - for counters, the start is not extrapolated beyond the point where the counter would
 *    have been zero (if resultValue > 0 and first ≥ 0);
 *  - rate = increase / range in seconds.
 *
 * The floating-point operations are done in Go's order so results agree to the last bit.
 * Times are integer milliseconds, as in the TSDB.
 */

export interface Point {
  /** Milliseconds. */
  t: number;
  v: number;
}

/**
 * The samples in the window are `samples[from..to)` (indexes, so that a range query does not
 * copy every window).
 */
export function extrapolatedRate(
  samples: readonly Point[],
  rangeStartMs: number,
  rangeEndMs: number,
  rangeSeconds: number,
  isCounter: boolean,
  isRate: boolean,
  from = 0,
  to = samples.length,
): number | undefined {
  const count = to - from;
  if (count < 2) return undefined;
  const first = samples[from] as Point;
  const last = samples[to - 1] as Point;

  let resultValue = last.v - first.v;
  if (isCounter) {
    let previous = first.v;
    for (let i = from + 1; i < to; i++) {
      const current = (samples[i] as Point).v;
      if (current < previous) resultValue += previous;
      previous = current;
    }
  }

  // Duration between first/last samples and boundary of range.
  let durationToStart = (first.t - rangeStartMs) / 1000;
  const durationToEnd = (rangeEndMs - last.t) / 1000;

  const sampledInterval = (last.t - first.t) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (count - 1);

  if (isCounter && resultValue > 0 && first.v >= 0) {
    // Counters cannot be negative: extrapolate the start at most to the zero point.
    const durationToZero = sampledInterval * (first.v / resultValue);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }

  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;

  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= rangeSeconds;
  resultValue *= factor;
  return resultValue;
}
