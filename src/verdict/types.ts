/** The four answers a route (or one of its destinations) can get — SPEC §6. */
export type Verdict = 'pass' | 'drift' | 'inconclusive' | 'no-traffic';

/** A closed interval `[lo, hi]`. */
export type Interval = [lo: number, hi: number];

/** What `judgeSplit` needs to judge one route's observed traffic against its declared split. */
export interface SplitInput {
  /** Declared share of each destination in percent; they sum to 100, undeclared destinations are 0. */
  declaredPercent: readonly number[];
  /**
   * Observed requests per destination, same order as `declaredPercent`. Non-negative, and not
   * necessarily integers: Prometheus' `increase()` extrapolates to the window's edges.
   */
  counts: readonly number[];
  /** Half-width of the acceptable band around each declared share, in percentage points. */
  tolerancePoints: number;
  /** Family-wise confidence level in (0, 1), e.g. 0.95; Bonferroni-corrected per destination. */
  confidence: number;
  /** Fewest requests a route needs before it may pass. */
  minRequests: number;
  /** Optional display names (e.g. `v2`, `reviews/v3`) used in `message`; default `destination N`. */
  destinationNames?: readonly string[];
}

/** The verdict on one destination of a route. */
export interface DestinationVerdict {
  /** Observed share in percent; null without traffic. */
  actualPercent: number | null;
  /** `actualPercent − declaredPercent` in points (positive: more traffic than declared); null without traffic. */
  deltaPoints: number | null;
  /** Wilson interval of the observed share in percent, at the Bonferroni-corrected confidence; null without traffic. */
  interval: Interval | null;
  status: Verdict;
}

/** The verdict on one route. */
export interface SplitVerdict {
  status: Verdict;
  /** N, the total of the observed counts (not rounded). */
  requests: number;
  /** One entry per destination, in input order. */
  destinations: DestinationVerdict[];
  /**
   * For an inconclusive route: about how many more requests would settle it if the observed
   * shares held; null when it would not settle within a billion more, and for every other status.
   */
  requestsNeeded: number | null;
  /** One human sentence summarising the verdict. */
  message: string;
}
