import type { Finding } from './findings.js';
import type { Binding, DeclaredRoute, Protocol, SplitSource } from './split.js';
import type { Interval, Verdict } from '../verdict/types.js';

export type { Interval, Verdict };

/** Settings one evaluation ran with (SPEC §3); per-VirtualService annotations may override some. */
export interface CheckSettings {
  /** Accepted distance from the declared share, in percentage points. */
  tolerance: number;
  confidence: number;
  minRequests: number;
  reporter: 'source' | 'destination';
  versionLabel: string;
  /** Prometheus duration, the lookback of `increase()`. */
  window: string;
  allowInconclusive: boolean;
}

export const DEFAULT_SETTINGS: CheckSettings = {
  tolerance: 5,
  confidence: 0.95,
  minRequests: 100,
  reporter: 'source',
  versionLabel: 'destination_version',
  window: '5m',
  allowInconclusive: false,
};

/** Declared vs observed for one destination of a compared route. */
export interface DestinationResult {
  host: string;
  subset: string | null;
  version: string | null;
  declaredPercent: number;
  actualPercent: number | null;
  deltaPoints: number | null;
  requests: number;
  interval: Interval | null;
  status: Verdict;
  /** Line of the weight in the manifest; null for undeclared traffic (no line declares it). */
  line: number | null;
  /** Traffic to a version no route declares (declared 0 %). */
  undeclared: boolean;
}

/** One route of a conditional group with its fitted share of the traffic. */
export interface MixComponent {
  index: number;
  name: string | null;
  alpha: number | null;
}

/** The verdict on one compared route (or conditional group of routes). */
export interface RouteResult {
  virtualService: SplitSource;
  binding: Binding;
  route: DeclaredRoute;
  status: Verdict;
  requests: number;
  /** For inconclusive routes: about how many more requests would settle it. */
  requestsNeeded: number | null;
  destinations: DestinationResult[];
  message: string;
  /** Conditional groups: every route in the mix and its fitted weight; null otherwise. */
  mix: MixComponent[] | null;
  /** Effective tolerance and minimum after annotations. */
  tolerance: number;
  minRequests: number;
  /** `requests` for HTTP, `connections` for TCP/TLS. */
  unit: 'requests' | 'connections';
}

export type ReportStatus = Verdict | 'error';

export interface SentQuery {
  template: string;
  protocol: Protocol[];
  promql: string;
}

export interface CheckReport {
  schemaVersion: number;
  status: ReportStatus;
  exitCode: number;
  evaluatedAt: string;
  window: string;
  prometheus: string;
  settings: CheckSettings;
  results: RouteResult[];
  findings: Finding[];
  queries: SentQuery[];
  /** Prometheus' own warnings about the queries. */
  warnings: string[];
}
