import { append } from '../../arrays.js';
import type { CheckReport, RouteResult } from '../../model/check.js';
import type { Finding, FindingLevel } from '../../model/findings.js';
import { FINDING_CODES } from '../../model/findings.js';
import { formatShare } from '../format.js';
import { destinationLabel, destinationSentence, limitsLabel, mixLabel, routeTitle } from './describe.js';
import { workflowCommand, type AnnotationLevel } from './github-escape.js';
import type { CheckFormatter } from './report.js';
import { summaryLine } from './text.js';

/**
 * GitHub Actions annotations (workflow commands), one per line, then the plain summary line.
 *
 * - drift: `::error` on the weight line of every drifting destination (undeclared traffic has
 *   no weight line: the VirtualService's own line; a drifting route with no single drifting
 *   destination: the route's line);
 * - inconclusive, no-traffic: one `::warning` on the route's line;
 * - pass: nothing. GitHub shows at most 10 error and 10 warning annotations per step (50 per
 *   job), so notices for every passing route would only push the ones that matter out of view;
 *   the summary line counts the passes.
 * - findings: `::error` / `::warning` / `::notice` by level; Prometheus warnings as `::warning`.
 *
 * Paths are written as the manifests were named (`-f`): GitHub attaches an annotation to a
 * file when the path is relative to the repository root.
 */

function driftAnnotations(result: RouteResult): string[] {
  const file = result.virtualService.file;
  const title = `mesh-split drift: ${routeTitle(result)}`;
  const mix = mixLabel(result);
  const tail = `tolerance ±${result.tolerance} points${mix ? `\nfitted mix: ${mix}` : ''}`;
  const drifting = result.destinations.filter((destination) => destination.status === 'drift');
  if (drifting.length === 0) {
    return [workflowCommand('error', { file, line: result.route.line, title }, `${result.message}; ${tail}`)];
  }
  return drifting.map((destination) =>
    workflowCommand(
      'error',
      { file, line: destination.line ?? result.virtualService.line, title },
      `${destinationSentence(result, destination)}; ${tail}`,
    ),
  );
}

function unsettledAnnotation(result: RouteResult): string {
  const mix = mixLabel(result);
  const lines = [
    result.message,
    ...result.destinations.map(
      (destination) =>
        `${destinationLabel(destination)}: declared ${formatShare(destination.declaredPercent)}, actual ${formatShare(destination.actualPercent)}`,
    ),
    `${limitsLabel(result)}${mix ? `; fitted mix: ${mix}` : ''}`,
  ];
  return workflowCommand(
    'warning',
    { file: result.virtualService.file, line: result.route.line, title: `mesh-split ${result.status}: ${routeTitle(result)}` },
    lines.join('\n'),
  );
}

const LEVEL: Record<FindingLevel, AnnotationLevel> = { error: 'error', warning: 'warning', info: 'notice' };

function findingAnnotation(item: Finding): string {
  return workflowCommand(
    LEVEL[item.level],
    { file: item.file, line: item.line, title: `mesh-split ${item.code}: ${FINDING_CODES[item.code].title}` },
    item.object ? `${item.object}: ${item.message}` : item.message,
  );
}

export const checkGithub: CheckFormatter = (report: CheckReport) => {
  const lines: string[] = [];
  for (const result of report.results) {
    if (result.status === 'drift') append(lines, driftAnnotations(result));
    else if (result.status === 'inconclusive' || result.status === 'no-traffic') lines.push(unsettledAnnotation(result));
  }
  append(lines, report.findings.map(findingAnnotation));
  append(lines, report.warnings.map((warning) => workflowCommand('warning', { title: 'Prometheus warning' }, warning)));
  // Plain text, one line: a line break in it could start a workflow command of its own.
  lines.push(summaryLine(report).replace(/[\r\n]+/g, ' '));
  return lines.join('\n');
};
