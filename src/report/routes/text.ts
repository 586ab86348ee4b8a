import type { Finding } from '../../model/findings.js';
import { formatPercent } from '../../model/percent.js';
import type { DeclaredSplit } from '../../model/split.js';
import { objectName } from '../check/text.js';
import { formatFindings } from '../findings-text.js';
import { renderTable } from '../table.js';
import type { RoutesFormatter } from './report.js';

const COLUMNS = [
  { header: 'VIRTUALSERVICE' },
  { header: 'BINDING' },
  { header: 'ROUTE' },
  { header: 'DESTINATION HOST' },
  { header: 'SUBSET' },
  { header: 'VERSION' },
  { header: 'DECLARED', align: 'right' },
] as const;

function routeLabel(split: DeclaredSplit): string {
  const { route } = split;
  return `${route.protocol}[${route.index}]${route.name ? ` ${route.name}` : ''}${route.conditional ? ' (match)' : ''}`;
}

function summary(splits: readonly DeclaredSplit[], findings: readonly Finding[]): string {
  const sources = new Set(splits.map(objectName)).size;
  const count = (level: Finding['level']) => findings.filter((item) => item.level === level).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(splits.length, 'route')} in ${plural(sources, 'object')}; ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
}

/** A table, one row per destination; the route's cells only on its first row. */
export const routesText: RoutesFormatter = (resolution, color) => {
  const rows = resolution.splits.flatMap((split) =>
    split.destinations.map((destination, position) => [
      position === 0 ? objectName(split) : '',
      position === 0 ? split.binding : '',
      position === 0 ? routeLabel(split) : '',
      destination.host,
      destination.subset ?? '-',
      destination.version ?? { text: 'any', paint: color.dim },
      formatPercent(destination.declaredPercent),
    ]),
  );
  const parts = [];
  if (rows.length > 0) parts.push(renderTable(COLUMNS, rows));
  if (resolution.findings.length > 0) parts.push(formatFindings(resolution.findings, color));
  parts.push(summary(resolution.splits, resolution.findings));
  return parts.join('\n\n');
};
