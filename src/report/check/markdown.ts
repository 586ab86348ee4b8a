import type { CheckReport, DestinationResult, ReportStatus, RouteResult } from '../../model/check.js';
import type { Finding, FindingLevel } from '../../model/findings.js';
import { formatCount, formatInterval, formatPoints, formatShare } from '../format.js';
import { countByStatus, destinationLabel, mixLabel, plural, routeTitle, VERDICTS } from './describe.js';
import { escapeTableCell as md } from './markdown-escape.js';
import type { CheckFormatter } from './report.js';
import { objectName, routeLabel } from './text.js';

/**
 * A pull-request comment (GitHub Flavored Markdown): a heading with the overall verdict, a
 * summary line, one table with a row per destination for every route that does not pass
 * (drift first — results come sorted), what to do about each of them, the passing routes
 * folded in a `<details>` block, then findings and Prometheus warnings as lists.
 * Starts with an invisible marker comment so a workflow can find and update its own comment.
 */

export const MARKDOWN_MARKER = '<!-- mesh-split check -->';

const EMOJI: Record<ReportStatus, string> = {
  drift: '❌',
  inconclusive: '⚠️',
  'no-traffic': '💤',
  pass: '✅',
  error: '🛑',
};

const FINDING_EMOJI: Record<FindingLevel, string> = { error: '🛑', warning: '⚠️', info: 'ℹ️' };

const verdict = (status: ReportStatus) => `${EMOJI[status]} ${status}`;

const HEADER = [
  'Verdict',
  'VirtualService',
  'Binding',
  'Route',
  'Destination',
  'Declared',
  'Actual',
  'Δ points',
  'Requests',
  'Interval',
  'Status',
];
const ALIGN = ['---', '---', '---', '---', '---', '--:', '--:', '--:', '--:', '--:', '---'];

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function destinationRow(result: RouteResult, destination: DestinationResult, first: boolean): string {
  return row([
    first ? verdict(result.status) : '',
    first ? md(objectName(result)) : '',
    first ? md(result.binding) : '',
    first ? md(routeLabel(result)) : '',
    md(destinationLabel(destination)),
    formatShare(destination.declaredPercent),
    formatShare(destination.actualPercent),
    formatPoints(destination.deltaPoints),
    formatCount(destination.requests),
    formatInterval(destination.interval),
    verdict(destination.status),
  ]);
}

function table(results: readonly RouteResult[]): string {
  const rows = results.flatMap((result) =>
    result.destinations.length === 0
      ? [row([verdict(result.status), md(objectName(result)), md(result.binding), md(routeLabel(result)), '–', '', '', '', formatCount(result.requests), '', ''])]
      : result.destinations.map((destination, position) => destinationRow(result, destination, position === 0)),
  );
  return [row(HEADER), row(ALIGN), ...rows].join('\n');
}

function note(result: RouteResult): string {
  const mix = mixLabel(result);
  const where = `${result.virtualService.file}:${result.route.line}`;
  return `- ${EMOJI[result.status]} **${md(routeTitle(result))}** (${md(where)}): ${md(result.message)}${mix ? `; fitted mix ${md(mix)}` : ''}`;
}

/** The table, then a line for every route that needs words: not passing, or a fitted mix. */
function section(results: readonly RouteResult[]): string {
  const notes = results.filter((result) => result.status !== 'pass' || result.mix).map(note);
  return notes.length > 0 ? `${table(results)}\n\n${notes.join('\n')}` : table(results);
}

function findingItem(item: Finding): string {
  const where = item.file ? `${item.file}${item.line ? `:${item.line}` : ''}` : '';
  const context = [item.object, where].filter(Boolean).join(' ');
  return `- ${FINDING_EMOJI[item.level]} **${item.level}** ${item.code}${context ? ` (${md(context)})` : ''}: ${md(item.message)}`;
}

function summary(report: CheckReport): string {
  const counts = countByStatus(report);
  const parts = VERDICTS.filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${status}`);
  const compared = parts.length > 0 ? `**${parts.join(' · ')}** of ${plural(report.results.length, 'route')}` : '**nothing compared**';
  return [
    compared,
    `window ${md(report.window)}`,
    `Prometheus ${md(report.prometheus)}`,
    `evaluated ${md(report.evaluatedAt)}`,
    `exit ${report.exitCode}`,
  ].join(' · ');
}

export const checkMarkdown: CheckFormatter = (report) => {
  const parts = [`${MARKDOWN_MARKER}\n## ${verdict(report.status)} — mesh-split check`, summary(report)];
  const unsettled = report.results.filter((result) => result.status !== 'pass');
  const passing = report.results.filter((result) => result.status === 'pass');
  if (unsettled.length > 0) parts.push(section(unsettled));
  if (passing.length > 0) {
    // GFM needs blank lines around a table inside an HTML block.
    const label = `${EMOJI.pass} ${plural(passing.length, 'passing route')}`;
    parts.push(unsettled.length > 0 ? `<details><summary>${label}</summary>\n\n${section(passing)}\n\n</details>` : section(passing));
  }
  if (report.findings.length > 0) parts.push(`### Findings\n\n${report.findings.map(findingItem).join('\n')}`);
  if (report.warnings.length > 0) {
    parts.push(`### Prometheus warnings\n\n${report.warnings.map((warning) => `- ${md(warning)}`).join('\n')}`);
  }
  return parts.join('\n\n');
};
