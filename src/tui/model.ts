import type { CheckReport, RouteResult, Verdict } from '../model/check.js';
import type { Finding } from '../model/findings.js';

/** A row's verdict on screen: the route's, or `settling` just after its declared weights changed. */
export type RowStatus = Verdict | 'settling';

/** One route × destination line of the table. */
export interface ScreenRow {
  key: string;
  routeKey: string;
  firstOfRoute: boolean;
  status: RowStatus;
  destinationStatus: Verdict;
  object: string;
  binding: string;
  route: string;
  destination: string;
  declaredPercent: number;
  actualPercent: number | null;
  deltaPoints: number | null;
  /** Requests (connections) per second over the window. */
  rate: number;
  /** Recent actual shares in percent, oldest first. */
  trend: number[];
  /** Seconds until a full window holds only traffic under the current weights. */
  settlingSeconds: number | null;
}

/**
 * Points a row's trend keeps, and so the points the trend is seeded with: what the TREND column
 * shows, a cell each (more would be fetched, judged and kept, never drawn).
 */
export const TREND_POINTS = 12;

export type SortOrder = 'drift' | 'name' | 'traffic';
export const SORT_ORDERS: readonly SortOrder[] = ['drift', 'name', 'traffic'];

/** What the data loop knows; the screen is a function of this and the UI state. */
export interface WatchData {
  /** The last good evaluation; kept on screen while Prometheus fails. */
  report: CheckReport | null;
  lastGoodAt: Date | null;
  /** One line: why the last attempt failed (null once an evaluation succeeds again). */
  error: string | null;
  nextRetryAt: Date | null;
  evaluating: boolean;
  paused: boolean;
  /** Actual-share history per row key. */
  trends: ReadonlyMap<string, number[]>;
  /** Per route key: unix seconds until which the route is settling. */
  settlingUntil: ReadonlyMap<string, number>;
  findings: Finding[];
}

/** A watch before its first evaluation. */
export function emptyWatchData(): WatchData {
  return {
    report: null,
    lastGoodAt: null,
    error: null,
    nextRetryAt: null,
    evaluating: false,
    paused: false,
    trends: new Map(),
    settlingUntil: new Map(),
    findings: [],
  };
}

export function routeKey(result: Pick<RouteResult, 'virtualService' | 'binding' | 'route'>): string {
  const source = result.virtualService;
  return `${source.kind}/${source.namespace}/${source.name}|${result.binding}|${result.route.protocol}[${result.route.index}]`;
}

export function rowKey(result: Pick<RouteResult, 'virtualService' | 'binding' | 'route'>, destination: { host: string; version: string | null; subset: string | null }): string {
  return `${routeKey(result)}|${destination.host}|${destination.version ?? destination.subset ?? '*'}`;
}
