import { TREND_POINTS, type ScreenRow } from './model.js';

export type ColumnId = 'status' | 'object' | 'binding' | 'route' | 'destination' | 'declared' | 'actual' | 'delta' | 'rate' | 'bar' | 'trend';

export interface Column {
  id: ColumnId;
  header: string;
  width: number;
  align: 'left' | 'right';
  /** Names keep their start and end (`default/…vs-w-gateway`): both tell routes apart. */
  truncate?: 'end' | 'middle';
}

const GAP = 1;
const FIXED: Partial<Record<ColumnId, { header: string; width: number; align: 'left' | 'right' }>> = {
  status: { header: 'STATUS', width: 16, align: 'left' },
  declared: { header: 'DECL', width: 6, align: 'right' },
  actual: { header: 'ACTUAL', width: 7, align: 'right' },
  delta: { header: 'Δ PTS', width: 6, align: 'right' },
  rate: { header: 'REQ/S', width: 7, align: 'right' },
  bar: { header: 'ACTUAL│DECLARED', width: 16, align: 'left' },
  trend: { header: 'TREND', width: TREND_POINTS, align: 'left' },
};
const VARIABLE: Partial<Record<ColumnId, { header: string; max: number; min: number }>> = {
  object: { header: 'VIRTUALSERVICE', max: 36, min: 24 },
  binding: { header: 'BINDING', max: 36, min: 12 },
  route: { header: 'ROUTE', max: 16, min: 7 },
  destination: { header: 'DESTINATION', max: 36, min: 24 },
};
const ORDER: ColumnId[] = ['status', 'object', 'binding', 'route', 'destination', 'declared', 'actual', 'delta', 'rate', 'bar', 'trend'];
/** Narrow terminals lose the least essential columns first, rather than wrapping. */
const DROP_ORDER: ColumnId[] = ['route', 'trend', 'bar', 'binding', 'rate', 'delta'];

function contentWidth(rows: readonly ScreenRow[], id: ColumnId): number {
  return rows.reduce((widest, row) => Math.max(widest, [...String(row[id as keyof ScreenRow] ?? '')].length), 0);
}

/**
 * The columns that fit in `width` cells: variable ones sized to their content, shrunk (widest
 * first, down to a readable minimum) before any column is dropped, then the least essential
 * dropped one by one.
 */
export function layoutColumns(width: number, rows: readonly ScreenRow[]): Column[] {
  const all: Column[] = ORDER.map((id) => {
    const fixed = FIXED[id];
    if (fixed) return { id, ...fixed };
    const variable = VARIABLE[id]!;
    const size = Math.min(variable.max, Math.max(variable.header.length, contentWidth(rows, id)));
    return { id, header: variable.header, width: size, align: 'left', truncate: id === 'route' ? 'end' : 'middle' };
  });
  const total = (list: readonly Column[]) => list.reduce((sum, column) => sum + column.width, 0) + GAP * (list.length - 1);
  let visible = all;
  for (let dropped = 0; ; dropped++) {
    visible = all.filter((column) => !DROP_ORDER.slice(0, dropped).includes(column.id)).map((column) => ({ ...column }));
    shrink(visible, total(visible) - width, (id) => VARIABLE[id]?.min ?? 0);
    if (total(visible) <= width) return visible;
    if (dropped >= DROP_ORDER.length) {
      // Last resort on a very narrow terminal: names shrink below their readable minimum.
      shrink(visible, total(visible) - width, () => LAST_RESORT_WIDTH);
      return visible;
    }
  }
}

const LAST_RESORT_WIDTH = 8;

/** Takes `excess` cells from the variable columns, always from the widest, down to `floor`. */
function shrink(columns: Column[], excess: number, floor: (id: ColumnId) => number): void {
  for (let left = excess; left > 0; left--) {
    const widest = columns
      .filter((column) => VARIABLE[column.id] && column.width > floor(column.id))
      .sort((a, b) => b.width - a.width)[0];
    if (!widest) return;
    widest.width -= 1;
  }
}

/** Fits text into a cell: truncated with `…` (at the end or in the middle), padded on the aligned side. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', truncate: 'end' | 'middle' = 'end'): string {
  const chars = [...text];
  const keep = Math.max(0, width - 1);
  const head = truncate === 'middle' ? Math.ceil(keep / 2) : keep;
  const cut = chars.length > width ? `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}` : text;
  const padding = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'right' ? padding + cut : cut + padding;
}

export const COLUMN_GAP = GAP;
