import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Interval } from './types.js';

/**
 * Per-comparison confidence that keeps the family-wise error rate at `1 − confidence` when
 * `comparisons` intervals are checked at once (Bonferroni): a route with k destinations gets
 * k chances to cry drift by accident, so each interval has to be k times stricter.
 */
export function bonferroniConfidence(confidence: number, comparisons: number): number {
  assertConfidence(confidence);
  if (!Number.isInteger(comparisons) || comparisons < 1) {
    throw new RangeError(`comparisons must be a positive integer, got ${comparisons}`);
  }
  // Short of 1 by the least a double can show: a confidence a hair below 1, or very many
  // destinations, would otherwise round to exactly 1 (z = ∞). The interval is then as strict as
  // a double allows (z ≈ 8.2), a hair less than asked.
  return Math.min(1 - (1 - confidence) / comparisons, 1 - Number.EPSILON / 2);
}

/** The critical value z with P(|Z| ≤ z) = confidence for a standard normal Z. */
export function twoSidedZ(confidence: number): number {
  assertConfidence(confidence);
  // Taken from the lower tail, where the quantile of a small probability keeps its precision.
  return -normalQuantile((1 - confidence) / 2, 0, 1);
}

/**
 * Two-sided Wilson score interval for a binomial proportion, as fractions in [0, 1].
 * Chosen over the textbook Wald interval because it stays honest at small counts and at shares
 * near 0 or 1 (a canary at 1 %), where Wald collapses to a zero-width interval.
 * `successes` and `trials` may be non-integer (extrapolated Prometheus counts); trials = 0 → [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, confidence: number): Interval {
  if (!Number.isFinite(trials) || trials < 0) {
    throw new RangeError(`trials must be a finite non-negative number, got ${trials}`);
  }
  if (!Number.isFinite(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must lie in [0, trials = ${trials}], got ${successes}`);
  }
  const z = twoSidedZ(confidence);
  if (trials === 0) return [0, 1];
  return wilsonIntervalOfShare(successes / trials, trials, z);
}

/**
 * Wilson interval of an observed share `q` over `trials` at critical value `z` — the core that
 * the verdict and the "how many more requests" search share (they fix z once per route).
 * Written as (n·q + z²/2 ± z·√(n·q(1−q) + z²/4)) / (n + z²), which does not overflow for tiny n.
 */
export function wilsonIntervalOfShare(q: number, trials: number, z: number): Interval {
  if (trials === 0) return [0, 1];
  const share = Math.min(1, Math.max(0, q));
  // Work on the smaller tail and mirror: the lower bound is then taken from the product of the
  // roots (n·q² / (n + z²)) instead of a subtraction that cancels catastrophically for small q.
  if (share > 0.5) {
    const [lo, hi] = lowerTailInterval(1 - share, trials, z);
    return [1 - hi, 1 - lo];
  }
  return lowerTailInterval(share, trials, z);
}

function lowerTailInterval(q: number, n: number, z: number): Interval {
  const z2 = z * z;
  const hi = (n * q + z2 / 2 + z * Math.sqrt(n * q * (1 - q) + z2 / 4)) / (n + z2);
  const lo = (n * q * q) / ((n + z2) * hi);
  // Rounding must never push the point estimate outside its own interval.
  return [Math.min(lo, q), Math.min(1, Math.max(hi, q))];
}

function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must lie strictly between 0 and 1, got ${confidence}`);
  }
}
