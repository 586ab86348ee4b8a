import type { CheckReport, RouteResult } from '../../model/check.js';
import { formatPercent } from '../../model/percent.js';
import { formatFindings } from '../findings-text.js';
import { formatCount, formatInterval, formatPoints, formatShare, shortHost } from '../format.js';
import { renderTable } from '../table.js';
import { oneLine } from '../terminal-text.js';
import { paintVerdict, VERDICT_SYMBOL } from '../verdict-style.js';
import type { CheckFormatter } from './report.js';

const COLUMNS = [
  { header: 'STATUS' },
  { header: 'VIRTUALSERVICE' },
  { header: 'BINDING' },
  { header: 'ROUTE' },
  { header: 'DESTINATION' },
  { header: 'VERSION' },
  { header: 'DECLARED', align: 'right' },
  { header: 'ACTUAL', align: 'right' },
  { header: 'DELTA', align: 'right' },
  { header: 'REQUESTS', align: 'right' },
  { header: 'INTERVAL', align: 'right' },
] as const;

export function routeLabel(result: Pick<RouteResult, 'route' | 'mix'>): string {
  const { route } = result;
  if (result.mix) return `${route.protocol}[${result.mix.map((component) => component.index).join(',')}] (mix)`;
  return `${route.protocol}[${route.index}]${route.name ? ` ${route.name}` : ''}`;
}

export function objectName(result: Pick<RouteResult, 'virtualService'>): string {
  const source = result.virtualService;
  return `${source.kind === 'HTTPRoute' ? 'httproute/' : ''}${source.namespace}/${source.name}`;
}

/** The one line a human reads in a CI log. */
export function summaryLine(report: CheckReport): string {
  const counts = (['drift', 'inconclusive', 'no-traffic', 'pass'] as const)
    .map((status) => [status, report.results.filter((result) => result.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  const routes = `${report.results.length} route${report.results.length === 1 ? '' : 's'}`;
  const detail = counts.length ? `${counts.join(', ')} of ${routes}` : 'nothing compared';
  return `${report.status.toUpperCase()}: ${detail} (window ${report.window}, at ${report.evaluatedAt}, ${report.prometheus}) → exit ${report.exitCode}`;
}

/** A table, drift first, then what to do about each unsettled route, findings, and the summary. */
export const checkText: CheckFormatter = (report, color) => {
  const rows = report.results.flatMap((result) => {
    const paint = paintVerdict(result.status, color);
    return result.destinations.map((destination, position) => {
      const destinationPaint = paintVerdict(destination.status, color);
      return [
        position === 0 ? { text: `${VERDICT_SYMBOL[result.status]} ${result.status}`, paint } : '',
        position === 0 ? objectName(result) : '',
        position === 0 ? result.binding : '',
        position === 0 ? routeLabel(result) : '',
        `${shortHost(destination.host)}${destination.undeclared ? ' (undeclared)' : ''}`,
        destination.version ?? destination.subset ?? 'any',
        formatPercent(Number(destination.declaredPercent.toFixed(1))),
        { text: formatShare(destination.actualPercent), paint: destinationPaint },
        { text: formatPoints(destination.deltaPoints), paint: destinationPaint },
        formatCount(destination.requests),
        formatInterval(destination.interval),
      ];
    });
  });
  const parts: string[] = [];
  if (rows.length > 0) parts.push(renderTable(COLUMNS, rows));
  const notes = report.results
    .filter((result) => result.status !== 'pass')
    .map((result) => `${paintVerdict(result.status, color)(VERDICT_SYMBOL[result.status])}${oneLine(` ${objectName(result)} ${result.binding} ${routeLabel(result)}: ${result.message}`)}`);
  if (notes.length > 0) parts.push(notes.join('\n'));
  if (report.findings.length > 0) parts.push(formatFindings(report.findings, color));
  if (report.warnings.length > 0) parts.push(report.warnings.map((warning) => oneLine(`Prometheus warning: ${warning}`)).join('\n'));
  parts.push(paintVerdict(report.status, color)(summaryLine(report)));
  return parts.join('\n\n');
};
