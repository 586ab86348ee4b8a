import type { ReportStatus, RouteResult } from '../model/check.js';
import type { Finding } from '../model/findings.js';
import { EXIT } from '../model/exit-codes.js';

/** Drift first: that is what a reader must see. */
export const STATUS_ORDER: Record<RouteResult['status'], number> = { drift: 0, inconclusive: 1, 'no-traffic': 2, pass: 3 };

export function compareResults(a: RouteResult, b: RouteResult): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    a.virtualService.namespace.localeCompare(b.virtualService.namespace) ||
    a.virtualService.name.localeCompare(b.virtualService.name) ||
    a.binding.localeCompare(b.binding) ||
    a.route.index - b.route.index
  );
}

export function failingFindings(findings: readonly Finding[], failOn: 'error' | 'warning'): boolean {
  return findings.some((item) => item.level === 'error' || (failOn === 'warning' && item.level === 'warning'));
}

/** The overall status and SPEC §7's exit code, the same for every output format. */
export function outcome(
  results: readonly RouteResult[],
  allowInconclusive: boolean,
): { status: ReportStatus; exitCode: number } {
  const has = (status: RouteResult['status']) => results.some((result) => result.status === status);
  if (has('drift')) return { status: 'drift', exitCode: EXIT.drift };
  const unsettled = has('inconclusive') ? 'inconclusive' : has('no-traffic') ? 'no-traffic' : null;
  if (unsettled) return { status: unsettled, exitCode: allowInconclusive ? EXIT.ok : EXIT.inconclusive };
  return { status: 'pass', exitCode: EXIT.ok };
}
