import { placeInBand, toPercent } from './band.js';
import { describeVerdict } from './message.js';
import { additionalRequestsToSettle } from './settle.js';
import type { DestinationVerdict, SplitInput, SplitVerdict, Verdict } from './types.js';
import { bonferroniConfidence, twoSidedZ, wilsonIntervalOfShare } from './wilson.js';

/** How far the declared percents may stray from summing to 100 (float noise from relative weights). */
const DECLARED_SUM_SLACK = 1e-6;

/**
 * Judges one route: does the observed split match the declared one? (SPEC §6)
 *
 * Every observed share gets a Wilson interval at the confidence Bonferroni-corrected over all the
 * route's destinations (undeclared ones included), and is placed against its band
 * [declared − tolerance, declared + tolerance]:
 * - no-traffic: N = 0;
 * - drift: some interval lies entirely outside its band — whatever N is;
 * - pass: every interval lies inside its band and N ≥ minRequests;
 * - inconclusive: anything else, with an estimate of how many more requests would settle it.
 *
 * Throws RangeError on malformed input (mismatched lengths, negative or non-finite counts,
 * declared percents not summing to 100, confidence outside (0, 1)): those are bugs upstream.
 */
export function judgeSplit(input: SplitInput): SplitVerdict {
  assertValid(input);
  const { declaredPercent, counts, tolerancePoints, confidence, minRequests } = input;
  const requests = total(counts);
  if (!Number.isFinite(requests)) throw new RangeError('the counts add up to more than a double can hold');

  if (requests === 0) {
    const destinations = counts.map((): DestinationVerdict => ({
      actualPercent: null,
      deltaPoints: null,
      interval: null,
      status: 'no-traffic',
    }));
    return finish(input, { status: 'no-traffic', requests, destinations, requestsNeeded: null });
  }

  const z = twoSidedZ(bonferroniConfidence(confidence, counts.length));
  const shares = counts.map((count) => count / requests);
  const destinations = shares.map((share, i): DestinationVerdict => {
    const declared = declaredPercent[i] ?? 0;
    const interval = toPercent(wilsonIntervalOfShare(share, requests, z));
    const placement = placeInBand(interval, declared, tolerancePoints);
    // Drift is reported even below minRequests: the Wilson interval already widens for small N
    // (and keeps close to its nominal coverage there, unlike the Wald interval), so an interval
    // clear of the band is evidence at the stated confidence. minRequests guards the verdict that
    // lets a rollout proceed — pass — not the one that stops it.
    const status: Verdict =
      placement === 'outside' ? 'drift' : placement === 'inside' && requests >= minRequests ? 'pass' : 'inconclusive';
    return { actualPercent: share * 100, deltaPoints: share * 100 - declared, interval, status };
  });

  const status = routeStatus(destinations);
  const requestsNeeded =
    status === 'inconclusive'
      ? additionalRequestsToSettle({ shares, declaredPercent, tolerancePoints, z, minRequests }, requests)
      : null;
  return finish(input, { status, requests, destinations, requestsNeeded });
}

/** A route drifts if any destination drifts, passes only if every destination passes. */
function routeStatus(destinations: readonly DestinationVerdict[]): Verdict {
  if (destinations.some((d) => d.status === 'drift')) return 'drift';
  if (destinations.every((d) => d.status === 'pass')) return 'pass';
  return 'inconclusive';
}

function finish(input: SplitInput, verdict: Omit<SplitVerdict, 'message'>): SplitVerdict {
  const message = describeVerdict({
    ...verdict,
    declaredPercent: input.declaredPercent,
    tolerancePoints: input.tolerancePoints,
    minRequests: input.minRequests,
    destinationNames: input.destinationNames,
  });
  return { ...verdict, message };
}

function total(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

function assertValid(input: SplitInput): void {
  const { declaredPercent, counts, tolerancePoints, minRequests, destinationNames } = input;
  if (counts.length === 0) throw new RangeError('a route needs at least one destination');
  if (declaredPercent.length !== counts.length) {
    throw new RangeError(`${declaredPercent.length} declared shares for ${counts.length} counts`);
  }
  if (destinationNames !== undefined && destinationNames.length !== counts.length) {
    throw new RangeError(`${destinationNames.length} destination names for ${counts.length} counts`);
  }
  for (const count of counts) {
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`counts must be finite and non-negative, got ${count}`);
  }
  for (const declared of declaredPercent) {
    if (!Number.isFinite(declared) || declared < 0) {
      throw new RangeError(`declared shares must be finite and non-negative, got ${declared}`);
    }
  }
  const declaredSum = total(declaredPercent);
  if (Math.abs(declaredSum - 100) > DECLARED_SUM_SLACK) {
    throw new RangeError(`declared shares must sum to 100 %, got ${declaredSum}`);
  }
  if (!Number.isFinite(tolerancePoints) || tolerancePoints < 0) {
    throw new RangeError(`tolerance must be a finite non-negative number of points, got ${tolerancePoints}`);
  }
  if (!Number.isFinite(minRequests) || minRequests < 0) {
    throw new RangeError(`minRequests must be a finite non-negative number, got ${minRequests}`);
  }
  // confidence is checked by bonferroniConfidence; check it here too so no-traffic routes also reject it.
  bonferroniConfidence(input.confidence, counts.length);
}
