import { placeInBand, toPercent } from './band.js';
import { wilsonIntervalOfShare } from './wilson.js';

/** Beyond this many extra requests we stop promising that more traffic will settle a route. */
export const SETTLE_LIMIT = 1e9;

/** The settings the "would it be settled at total N'?" question depends on. */
export interface SettleQuestion {
  /** Observed shares as fractions, assumed to hold as traffic accumulates. */
  shares: readonly number[];
  declaredPercent: readonly number[];
  tolerancePoints: number;
  /** Critical value, already Bonferroni-corrected for the route. */
  z: number;
  minRequests: number;
}

/**
 * How many more requests would make an inconclusive route conclusive, if the observed shares
 * stayed as they are; 0 if it is already settled, null if `limit` more would not do.
 *
 * Bisection is sound because "settled" is monotone in the total: at a fixed share the Wilson
 * lower bound only rises and the upper bound only falls as n grows (the intervals are nested),
 * so an interval once inside (or outside) the band stays there, and n ≥ minRequests stays true.
 */
export function additionalRequestsToSettle(
  question: SettleQuestion,
  requests: number,
  limit: number = SETTLE_LIMIT,
): number | null {
  const settled = (extra: number) => isSettledAt(question, requests + extra);
  if (settled(0)) return 0;
  // Doubling brackets the answer in (known unsettled, known settled]; bisection then closes it.
  let unsettled = 0;
  let candidate = 1;
  while (!settled(candidate)) {
    if (candidate >= limit) return null;
    unsettled = candidate;
    candidate = Math.min(candidate * 2, limit);
  }
  while (candidate - unsettled > 1) {
    const middle = Math.floor((unsettled + candidate) / 2);
    if (settled(middle)) candidate = middle;
    else unsettled = middle;
  }
  return candidate;
}

/** Would the route be pass or drift (not inconclusive) at this total, shares unchanged? */
function isSettledAt(question: SettleQuestion, total: number): boolean {
  const { shares, declaredPercent, tolerancePoints, z, minRequests } = question;
  let allInside = true;
  for (const [i, share] of shares.entries()) {
    const placement = placeInBand(toPercent(wilsonIntervalOfShare(share, total, z)), declaredPercent[i] ?? 0, tolerancePoints);
    if (placement === 'outside') return true;
    if (placement === 'straddling') allInside = false;
  }
  return allInside && total >= minRequests;
}
