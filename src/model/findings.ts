/**
 * Findings: every problem found in the input, with a stable code (SPEC §4).
 * MS0xx input errors, MS1xx configuration problems, MS2xx information.
 */
export type FindingLevel = 'error' | 'warning' | 'info';

export interface Finding {
  code: FindingCode;
  level: FindingLevel;
  /** `Kind namespace/name`, or null when the problem is not tied to one object. */
  object: string | null;
  file: string | null;
  line: number | null;
  message: string;
}

/** The catalogue. Codes are stable: never renumber, only add. */
export const FINDING_CODES = {
  MS001: { level: 'error', title: 'unparseable YAML or JSON' },
  MS002: { level: 'error', title: 'input refused (too large, too deep, or an alias bomb)' },
  MS003: { level: 'error', title: 'schema violation' },
  MS004: { level: 'error', title: 'nothing to compare' },
  MS005: { level: 'warning', title: 'object defined more than once' },
  MS006: { level: 'warning', title: 'plain scalar kubectl reads otherwise (YAML 1.1)' },
  MS101: { level: 'error', title: 'subset not defined by any DestinationRule' },
  MS102: { level: 'warning', title: 'destination host matches no Service' },
  MS103: { level: 'error', title: 'all weights of a route are zero' },
  MS104: { level: 'error', title: 'wildcard host on a mesh-bound VirtualService' },
  MS105: { level: 'warning', title: 'subset without a version label' },
  MS106: { level: 'warning', title: 'mesh-bound VirtualServices share destinations' },
  MS107: { level: 'warning', title: 'referenced Gateway is missing' },
  MS108: { level: 'warning', title: 'route unreachable after a catch-all route' },
  MS109: { level: 'warning', title: 'destination without weight gets no traffic' },
  MS110: { level: 'warning', title: 'destinations indistinguishable in metrics' },
  MS111: { level: 'warning', title: 'mesh-bound VirtualServices claim the same host' },
  MS112: { level: 'warning', title: 'invalid mesh-split annotation' },
  MS201: { level: 'info', title: 'weights do not sum to 100' },
  MS202: { level: 'info', title: 'TCP/TLS split is per connection' },
  MS203: { level: 'info', title: 'conditional routes' },
  MS204: { level: 'info', title: 'route not resolved' },
  MS205: { level: 'info', title: 'VirtualService ignored by annotation' },
  MS206: { level: 'info', title: 'live objects read in part: listing them is forbidden' },
} as const satisfies Record<string, { level: FindingLevel; title: string }>;

export type FindingCode = keyof typeof FINDING_CODES;

export interface FindingPlace {
  object?: string | null;
  file?: string | null;
  line?: number | null;
}

export function finding(code: FindingCode, place: FindingPlace, message: string): Finding {
  return {
    code,
    level: FINDING_CODES[code].level,
    object: place.object ?? null,
    file: place.file ?? null,
    line: place.line ?? null,
    message,
  };
}

const LEVEL_ORDER: Record<FindingLevel, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for reports: by file, line, then severity and code. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}

export function objectLabel(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace}/${name}`;
}
