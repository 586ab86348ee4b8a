import { Box } from 'ink';
import { memo } from 'react';
import { formatPoints, formatShare } from '../../report/format.js';
import { shareBar, sparkline } from '../glyphs.js';
import { COLUMN_GAP, fit, layoutColumns, type Column, type ColumnId } from '../layout.js';
import type { RowStatus, ScreenRow } from '../model.js';
import { INVERSE, NO_STYLE, paint, STATUS_STYLE, STATUS_SYMBOL, useTheme, type Style, type Theme } from '../theme.js';
import { Line } from './Line.js';
import { clean, countdown, formatRate } from './text.js';

export interface RouteTableProps {
  rows: ScreenRow[];
  columns: Column[];
  /** Index into `rows` of the selected row. */
  selected: number;
  /** Index of the first row shown; the caller scrolls (see scrollOffset). */
  offset: number;
  /** Rows shown at most, not counting the header line and the `↓ N more` line. */
  height: number;
}

/** Every line starts with the selection marker: `› ` on the selected row, two spaces elsewhere. */
export const MARKER_WIDTH = 2;
const SELECTED = '› ';
const MARGIN = ' '.repeat(MARKER_WIDTH);
const GAP = ' '.repeat(COLUMN_GAP);

/** The columns for a terminal `width` cells wide, leaving room for the selection marker. */
export function tableColumns(width: number, rows: readonly ScreenRow[]): Column[] {
  return layoutColumns(Math.max(0, width - MARKER_WIDTH), rows);
}

/** Columns that describe the route; shown on its first row only. */
const ROUTE_COLUMNS: ReadonlySet<ColumnId> = new Set(['status', 'object', 'binding', 'route']);

/** `✗ drift`, `◷ settling 3m12s`. */
export function statusLabel(status: RowStatus, settlingSeconds: number | null): string {
  const label = status === 'settling' && settlingSeconds !== null ? `settling ${countdown(settlingSeconds)}` : status;
  return `${STATUS_SYMBOL[status]} ${label}`;
}

/** The text of one cell, not yet fitted to its width. */
export function cellText(row: ScreenRow, column: Column): string {
  if (ROUTE_COLUMNS.has(column.id) && !row.firstOfRoute) return '';
  switch (column.id) {
    case 'status':
      return statusLabel(row.status, row.settlingSeconds);
    case 'object':
      return clean(row.object);
    case 'binding':
      return clean(row.binding);
    case 'route':
      return clean(row.route);
    case 'destination':
      return clean(row.destination);
    case 'declared':
      return formatShare(row.declaredPercent);
    case 'actual':
      return formatShare(row.actualPercent);
    case 'delta':
      return formatPoints(row.deltaPoints);
    case 'rate':
      return formatRate(row.rate);
    case 'bar':
      return shareBar(row.actualPercent, row.declaredPercent, column.width);
    case 'trend':
      return sparkline(row.trend, column.width);
  }
}

export function headerLine(columns: readonly Column[]): string {
  return MARGIN + columns.map((column) => fit(column.header, column.width, column.align)).join(GAP);
}

/** `↑ 3 above · ↓ 12 more`, or null when every row is on screen. */
export function moreLine(total: number, offset: number, shown: number): string | null {
  const below = total - offset - shown;
  const parts = [offset > 0 ? `↑ ${offset} above` : null, below > 0 ? `↓ ${below} more` : null].filter(Boolean);
  return parts.length ? MARGIN + parts.join(' · ') : null;
}

/**
 * The route's cells take the route's colour; the destination's cells take the destination's own
 * verdict (in a drifting route the destinations within tolerance stay green), except while the
 * route settles, when no destination verdict means anything yet.
 */
function segmentStyles(row: ScreenRow): { route: Style; destination: Style } {
  const route = STATUS_STYLE[row.status];
  return { route, destination: row.status === 'settling' ? route : STATUS_STYLE[row.destinationStatus] };
}

/**
 * One row as one painted string: the marker, the route's cells in the route's colour, the
 * destination's cells in the destination's. The selection's inverse is the line's own style
 * (`<Line style={INVERSE}>`), applied over the whole line.
 */
export function rowText(row: ScreenRow, columns: readonly Column[], selected: boolean, theme: Theme): string {
  const styles = segmentStyles(row);
  const cells = columns.map((column) => fit(cellText(row, column), column.width, column.align, column.truncate));
  const split = columns.findIndex((column) => !ROUTE_COLUMNS.has(column.id));
  const routePart = (split === -1 ? cells : cells.slice(0, split)).join(GAP);
  const destinationPart = split === -1 ? '' : cells.slice(split).join(GAP);
  return `${selected ? SELECTED : MARGIN}${paint(theme, styles.route, routePart)}${routePart && destinationPart ? GAP : ''}${paint(theme, styles.destination, destinationPart)}`;
}

const BOLD: Style = { bold: true };
const DIM: Style = { dimColor: true };

/**
 * The header, the visible rows (one `<Line>` each, keyed by their place on screen, so a row
 * whose text is unchanged is not drawn again), and what is cut off.
 */
export const RouteTable = memo(function RouteTable({ rows, columns, selected, offset, height }: RouteTableProps) {
  const theme = useTheme();
  const start = Math.max(0, Math.min(offset, rows.length));
  const visible = rows.slice(start, start + Math.max(0, height));
  const more = moreLine(rows.length, start, visible.length);
  return (
    <Box flexDirection="column">
      <Line text={headerLine(columns)} style={BOLD} />
      {rows.length === 0 ? <Line text={`${MARGIN}no routes to show`} style={DIM} /> : null}
      {visible.map((row, index) => {
        const isSelected = start + index === selected;
        return <Line key={index} text={rowText(row, columns, isSelected, theme)} style={isSelected ? INVERSE : NO_STYLE} />;
      })}
      {more ? <Line text={more} style={DIM} /> : null}
    </Box>
  );
});
