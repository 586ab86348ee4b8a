import type { RouteResult } from '../model/check.js';
import { shortHost } from '../report/format.js';
import { objectName, routeLabel } from '../report/check/text.js';
import { parseDuration } from '../query/duration.js';
import { routeKey, rowKey, type RowStatus, type ScreenRow, type SortOrder, type WatchData } from './model.js';

const STATUS_RANK: Record<RowStatus, number> = { drift: 0, settling: 1, inconclusive: 2, 'no-traffic': 3, pass: 4 };

/** Report + history → table rows, route by route. */
export function buildRows(data: Pick<WatchData, 'report' | 'trends' | 'settlingUntil'>, now: number): ScreenRow[] {
  const report = data.report;
  if (!report) return [];
  const window = parseDuration(report.window) ?? 300;
  return report.results.flatMap((result) => {
    const key = routeKey(result);
    const until = data.settlingUntil.get(key);
    const settlingSeconds = until !== undefined && until > now ? Math.ceil(until - now) : null;
    const status: RowStatus = settlingSeconds !== null ? 'settling' : result.status;
    return result.destinations.map((destination, index): ScreenRow => {
      const keyOfRow = rowKey(result, destination);
      return {
        key: keyOfRow,
        routeKey: key,
        firstOfRoute: index === 0,
        status,
        destinationStatus: destination.status,
        object: objectName(result),
        binding: result.binding,
        route: routeLabel(result),
        destination: `${shortHost(destination.host)}${destination.version ? `/${destination.version}` : destination.subset ? `/${destination.subset}` : ''}${destination.undeclared ? ' (undeclared)' : ''}`,
        declaredPercent: destination.declaredPercent,
        actualPercent: destination.actualPercent,
        deltaPoints: destination.deltaPoints,
        rate: destination.requests / window,
        trend: data.trends.get(keyOfRow) ?? [],
        settlingSeconds,
      };
    });
  });
}

/** Whether a route is settling at `now` (unix seconds): a countdown is on screen. */
export function settlingAt(settlingUntil: ReadonlyMap<string, number>, now: number): boolean {
  for (const until of settlingUntil.values()) if (until > now) return true;
  return false;
}

/** Routes per status, counted on their first row. */
export function statusCounts(rows: readonly ScreenRow[]): Record<RowStatus, number> {
  const counts: Record<RowStatus, number> = { drift: 0, settling: 0, inconclusive: 0, 'no-traffic': 0, pass: 0 };
  for (const row of rows) if (row.firstOfRoute) counts[row.status] += 1;
  return counts;
}

function routeTraffic(rows: readonly ScreenRow[]): Map<string, number> {
  const traffic = new Map<string, number>();
  for (const row of rows) traffic.set(row.routeKey, (traffic.get(row.routeKey) ?? 0) + row.rate);
  return traffic;
}

/** Sorts whole routes (their rows stay together): drift first, by name, or by traffic. */
export function sortRows(rows: readonly ScreenRow[], order: SortOrder): ScreenRow[] {
  const traffic = routeTraffic(rows);
  const first = new Map<string, ScreenRow>();
  for (const row of rows) if (!first.has(row.routeKey)) first.set(row.routeKey, row);
  const byName = (a: ScreenRow, b: ScreenRow) => a.object.localeCompare(b.object) || a.binding.localeCompare(b.binding) || a.route.localeCompare(b.route);
  const compare = (a: ScreenRow, b: ScreenRow): number => {
    if (order === 'drift') return STATUS_RANK[a.status] - STATUS_RANK[b.status] || byName(a, b);
    if (order === 'traffic') return (traffic.get(b.routeKey) ?? 0) - (traffic.get(a.routeKey) ?? 0) || byName(a, b);
    return byName(a, b);
  };
  const routes = [...first.values()].sort(compare).map((row) => row.routeKey);
  const rank = new Map(routes.map((key, index) => [key, index]));
  return [...rows].sort((a, b) => (rank.get(a.routeKey) ?? 0) - (rank.get(b.routeKey) ?? 0));
}

/** `/` filter: every word must appear in the object, binding, route or destination. */
export function filterRows(rows: readonly ScreenRow[], filter: string): ScreenRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  const routes = new Set(
    rows
      .filter((row) => {
        const text = `${row.object} ${row.binding} ${row.route} ${row.destination}`.toLowerCase();
        return words.every((word) => text.includes(word));
      })
      .map((row) => row.routeKey),
  );
  return rows.filter((row) => routes.has(row.routeKey));
}

/** Keeps `selected` visible in a list of `height` rows. */
export function scrollOffset(selected: number, offset: number, height: number, total: number): number {
  if (height <= 0) return 0;
  let next = offset;
  if (selected < next) next = selected;
  if (selected >= next + height) next = selected - height + 1;
  return Math.max(0, Math.min(next, Math.max(0, total - height)));
}
