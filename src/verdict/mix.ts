import { judgeSplit } from './judge.js';
import { leastSquaresOnSimplex } from './least-squares.js';
import type { SplitInput, SplitVerdict } from './types.js';

/** The closest mix of a conditional VirtualService's route splits to what was observed. */
export interface MixFit {
  /** Weight of each route in the mix, in input order: every αᵣ ≥ 0 and Σαᵣ = 1. */
  alpha: number[];
  /** The mixed split Σ αᵣ·pᵣ, in percent per destination. */
  fittedPercent: number[];
}

/** `judgeSplit`'s input for a conditional VirtualService: one declared split per route instead of one. */
export interface MixInput extends Omit<SplitInput, 'declaredPercent'> {
  /** Each route's declared split in percent, all over the same destination list as `counts`. */
  routeSplits: readonly (readonly number[])[];
}

/** The verdict against the fitted mix, plus the mix itself (null without traffic: nothing to fit). */
export interface MixVerdict extends SplitVerdict {
  alpha: number[] | null;
  fittedPercent: number[] | null;
}

const PERCENT = 100;

/**
 * Least-squares fit of the observed split by a mix of route splits (SPEC §6, conditional routes):
 * minimises ‖Σ αᵣ·pᵣ − q‖² over α on the probability simplex, in plain (unweighted) percentage
 * points. Both arguments are in percent: `routeSplits[r][d]` is route r's share for destination d,
 * `observedPercent[d]` the observed share of d. An observation outside the routes' hull gets its
 * nearest point on the hull. Deterministic: starts from the even mix, so routes with identical
 * splits (which the data cannot tell apart) share their weight evenly.
 */
export function fitMix(routeSplits: readonly (readonly number[])[], observedPercent: readonly number[]): MixFit {
  assertFitInput(routeSplits, observedPercent);
  const [only] = routeSplits;
  if (routeSplits.length === 1 && only) return { alpha: [1], fittedPercent: [...only] };
  // Fractions keep the gradient steps of order one.
  const columns = routeSplits.map((split) => split.map((p) => p / PERCENT));
  const target = observedPercent.map((q) => q / PERCENT);
  const alpha = leastSquaresOnSimplex(columns, target);
  return { alpha, fittedPercent: mixPercent(routeSplits, alpha) };
}

/**
 * Judges a conditional VirtualService: the observed counts against the closest mix of its routes.
 * The fit chooses the mix from the same data it is then judged on, so the verdict is slightly
 * optimistic (a little more likely to pass, a little less likely to drift) than for a route whose
 * split is declared outright; the intervals are not widened for the R − 1 fitted weights.
 */
export function judgeMix(input: MixInput): MixVerdict {
  const { routeSplits, ...rest } = input;
  assertFitInput(routeSplits, input.counts);
  const requests = input.counts.reduce((sum, count) => sum + count, 0);
  if (requests === 0) {
    // Nothing to fit; any valid split yields the same no-traffic verdict, so use the even mix.
    const even = mixPercent(routeSplits, routeSplits.map(() => 1 / routeSplits.length));
    return { ...judgeSplit({ ...rest, declaredPercent: even }), alpha: null, fittedPercent: null };
  }
  const observedPercent = input.counts.map((count) => (count / requests) * PERCENT);
  const { alpha, fittedPercent } = fitMix(routeSplits, observedPercent);
  return { ...judgeSplit({ ...rest, declaredPercent: fittedPercent }), alpha, fittedPercent };
}

/** Σ αᵣ·pᵣ in percent. */
function mixPercent(routeSplits: readonly (readonly number[])[], alpha: readonly number[]): number[] {
  const destinations = routeSplits[0]?.length ?? 0;
  return Array.from({ length: destinations }, (_, d) =>
    routeSplits.reduce((sum, split, r) => sum + (alpha[r] ?? 0) * (split[d] ?? 0), 0),
  );
}

function assertFitInput(routeSplits: readonly (readonly number[])[], observedPercent: readonly number[]): void {
  if (routeSplits.length === 0) throw new RangeError('a mix needs at least one route split');
  for (const [r, split] of routeSplits.entries()) {
    if (split.length !== observedPercent.length) {
      throw new RangeError(`route ${r + 1} has ${split.length} shares for ${observedPercent.length} destinations`);
    }
    if (!split.every((p) => Number.isFinite(p) && p >= 0)) {
      throw new RangeError(`route ${r + 1} has a share that is negative or not finite`);
    }
  }
  if (!observedPercent.every(Number.isFinite)) throw new RangeError('observed shares must be finite');
}
