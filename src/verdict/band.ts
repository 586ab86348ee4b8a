import type { Interval } from './types.js';

/** Where an interval sits relative to the tolerance band [declared − tolerance, declared + tolerance]. */
export type Placement = 'inside' | 'outside' | 'straddling';

/**
 * Places an interval (percent) against a destination's tolerance band (percent).
 * An interval that merely touches the band's edge is not "entirely outside": drift has to be
 * shown, not suspected, so touching counts as straddling.
 */
export function placeInBand(interval: Interval, declaredPercent: number, tolerancePoints: number): Placement {
  const [lo, hi] = interval;
  const bandLo = declaredPercent - tolerancePoints;
  const bandHi = declaredPercent + tolerancePoints;
  if (lo > bandHi || hi < bandLo) return 'outside';
  if (lo >= bandLo && hi <= bandHi) return 'inside';
  return 'straddling';
}

/** An interval of fractions as percent — the unit bands, declared shares and reports use. */
export function toPercent([lo, hi]: Interval): Interval {
  return [lo * 100, hi * 100];
}
