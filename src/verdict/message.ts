import type { DestinationVerdict, Verdict } from './types.js';

/** Everything the one-sentence summary of a route's verdict draws on. */
export interface VerdictFacts {
  status: Verdict;
  requests: number;
  destinations: readonly DestinationVerdict[];
  declaredPercent: readonly number[];
  tolerancePoints: number;
  minRequests: number;
  requestsNeeded: number | null;
  destinationNames?: readonly string[] | undefined;
}

/** One human sentence: what an SRE glancing at a row needs to know about the route. */
export function describeVerdict(facts: VerdictFacts): string {
  switch (facts.status) {
    case 'no-traffic':
      return 'no requests in the window';
    case 'pass':
      return `${formatRequests(facts.requests)}; every destination within ${formatNumber(facts.tolerancePoints)} points of its declared share`;
    case 'drift':
      return describeDrift(facts);
    case 'inconclusive':
      return describeInconclusive(facts);
  }
}

/** Names the destination that misses its band by the widest margin (the one worth looking at first). */
function describeDrift(facts: VerdictFacts): string {
  const { destinations, declaredPercent, tolerancePoints } = facts;
  let worst = -1;
  let worstMiss = -Infinity;
  for (const [i, destination] of destinations.entries()) {
    if (destination.status !== 'drift' || destination.interval === null) continue;
    const declared = declaredPercent[i] ?? 0;
    const [lo, hi] = destination.interval;
    const miss = Math.max(lo - (declared + tolerancePoints), declared - tolerancePoints - hi);
    // Ties (the two sides of a 2-way split miss by the same margin) go to the first destination.
    if (miss > worstMiss + 1e-9) {
      worst = i;
      worstMiss = miss;
    }
  }
  const destination = destinations[worst];
  if (!destination || destination.interval === null || destination.actualPercent === null) {
    return 'the observed split drifts from the declared one';
  }
  const [lo, hi] = destination.interval;
  return (
    `${destinationName(facts, worst)} at ${destination.actualPercent.toFixed(1)}% is outside ` +
    `${formatNumber(declaredPercent[worst] ?? 0)}% ± ${formatNumber(tolerancePoints)} ` +
    `(interval ${lo.toFixed(1)}–${hi.toFixed(1)}%)`
  );
}

function describeInconclusive(facts: VerdictFacts): string {
  const { requests, minRequests, requestsNeeded } = facts;
  const seen =
    requests < minRequests
      ? `${formatRequests(requests)}, fewer than the ${formatCount(minRequests)} required`
      : formatRequests(requests);
  if (requestsNeeded === null) {
    return `${seen}; an observed share sits on the edge of its tolerance band, so more traffic at these shares would not settle it`;
  }
  return `${seen}; about ${formatCount(roughly(requestsNeeded))} more needed to settle`;
}

function destinationName(facts: VerdictFacts, index: number): string {
  return facts.destinationNames?.[index] ?? `destination ${index + 1}`;
}

/** The estimate assumes the shares hold, so two significant figures is all it deserves. */
function roughly(count: number): number {
  if (count < 100) return count;
  const unit = 10 ** (Math.floor(Math.log10(count)) - 1);
  return Math.round(count / unit) * unit;
}

/** Extrapolated counts are fractional; people read whole requests. */
function formatRequests(requests: number): string {
  const whole = Math.round(requests);
  if (whole === 0) return 'fewer than 1 request';
  return whole === 1 ? '1 request' : `${formatCount(whole)} requests`;
}

/** Thousands separators without depending on the runtime's locale data. */
function formatCount(count: number): string {
  return Math.round(count)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `80`, `33.3`, `2.5`: at most one decimal, none when whole. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(1)));
}
