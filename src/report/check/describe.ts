import { sourceLabel } from '../../model/split.js';
import type { CheckReport, DestinationResult, RouteResult } from '../../model/check.js';
import { formatCount, formatInterval, formatPoints, formatShare, shortHost } from '../format.js';
import { renderTable } from '../table.js';
import { objectName, routeLabel } from './text.js';

/** Wording shared by the CI formats (JUnit, GitHub, Markdown), so they name things alike. */

/** `default/helloworld-vs mesh http[0]`: object, binding, route. */
export function routeTitle(result: RouteResult): string {
  return `${objectName(result)} ${result.binding} ${routeLabel(result)}`;
}

/** `VirtualService default/helloworld-vs`, the same label findings carry in `object`. */
export function objectLabel(result: Pick<RouteResult, 'virtualService'>): string {
  return sourceLabel(result.virtualService);
}

/** `helloworld.default/v2`, `helloworld.default subset canary`, `helloworld.default (any version)`, `… (undeclared)`. */
export function destinationLabel(destination: DestinationResult): string {
  const host = shortHost(destination.host);
  const base = destination.version
    ? `${host}/${destination.version}`
    : destination.subset
      ? `${host} subset ${destination.subset}`
      : `${host} (any version)`;
  return destination.undeclared ? `${base} (undeclared)` : base;
}

/** A conditional group's fitted mix: `http[0] 70.0%, http[1] canary 30.0%`; null for a plain route. */
export function mixLabel(result: RouteResult): string | null {
  if (!result.mix) return null;
  return result.mix
    .map((component) => {
      const share = component.alpha === null ? '–' : formatShare(component.alpha * 100);
      return `${result.route.protocol}[${component.index}]${component.name ? ` ${component.name}` : ''} ${share}`;
    })
    .join(', ');
}

/** `declared 80.0%, actual 72.0% (-8.0 points, interval 68.8–75.0%), 3,600 of 5,000 requests`. */
export function destinationSentence(result: RouteResult, destination: DestinationResult): string {
  const observed =
    destination.actualPercent === null
      ? 'no traffic'
      : `actual ${formatShare(destination.actualPercent)} (${formatPoints(destination.deltaPoints)} points, interval ${formatInterval(destination.interval)})`;
  return (
    `${destinationLabel(destination)}: declared ${formatShare(destination.declaredPercent)}, ${observed}, ` +
    `${formatCount(destination.requests)} of ${formatCount(result.requests)} ${result.unit}`
  );
}

/** `tolerance ±5 points, min 100 requests` — after annotations, so it may differ per route. */
export function limitsLabel(result: RouteResult): string {
  return `tolerance ±${result.tolerance} points, min ${formatCount(result.minRequests)} ${result.unit}`;
}

/** A plain-text table of a route's destinations, for bodies that render monospaced (JUnit). */
export function destinationTable(result: RouteResult): string {
  const columns = [
    { header: 'DESTINATION' },
    { header: 'DECLARED', align: 'right' },
    { header: 'ACTUAL', align: 'right' },
    { header: 'DELTA', align: 'right' },
    { header: result.unit.toUpperCase(), align: 'right' },
    { header: 'INTERVAL', align: 'right' },
    { header: 'STATUS' },
    { header: 'LINE' },
  ] as const;
  const rows = result.destinations.map((destination) => [
    destinationLabel(destination),
    formatShare(destination.declaredPercent),
    formatShare(destination.actualPercent),
    formatPoints(destination.deltaPoints),
    formatCount(destination.requests),
    formatInterval(destination.interval),
    destination.status,
    destination.line === null ? '–' : `${result.virtualService.file}:${destination.line}`,
  ]);
  return renderTable(columns, rows);
}

export const VERDICTS = ['drift', 'inconclusive', 'no-traffic', 'pass'] as const;

/** Results per verdict, in report order (drift first). */
export function countByStatus(report: Pick<CheckReport, 'results'>): Record<(typeof VERDICTS)[number], number> {
  const counts = { drift: 0, inconclusive: 0, 'no-traffic': 0, pass: 0 };
  for (const result of report.results) counts[result.status] += 1;
  return counts;
}

export function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}
