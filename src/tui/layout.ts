import type { ScreenRow } from './model.js';

export type ColumnId = 'status' | 'object' | 'binding' | 'route' | 'destination' | 'declared' | 'actual' | 'delta' | 'rate' | 'bar' | 'trend';

export interface Column {
  id: ColumnId;
  header: string;
  width: number;
  align: 'left' | 'right';
}

const GAP = 1;
const FIXED: Partial<Record<ColumnId, { header: string; width: number; align: 'left' | 'right' }>> = {
  status: { header: 'STATUS', width: 16, align: 'left' },
  declared: { header: 'DECL', width: 6, align: 'right' },
  actual: { header: 'ACTUAL', width: 7, align: 'right' },
  delta: { header: 'Δ PTS', width: 6, align: 'right' },
  rate: { header: 'REQ/S', width: 7, align: 'right' },
  bar: { header: 'ACTUAL VS DECLARED', width: 18, align: 'left' },
  trend: { header: 'TREND', width: 12, align: 'left' },
};
const VARIABLE: Partial<Record<ColumnId, { header: string; max: number; min: number }>> = {
  object: { header: 'VIRTUALSERVICE', max: 34, min: 10 },
  binding: { header: 'BINDING', max: 28, min: 6 },
  route: { header: 'ROUTE', max: 16, min: 5 },
  destination: { header: 'DESTINATION', max: 34, min: 10 },
};
const ORDER: ColumnId[] = ['status', 'object', 'binding', 'route', 'destination', 'declared', 'actual', 'delta', 'rate', 'bar', 'trend'];
/** Narrow terminals lose the least essential columns first, rather than wrapping. */
const DROP_ORDER: ColumnId[] = ['trend', 'bar', 'route', 'binding', 'rate', 'delta'];

function contentWidth(rows: readonly ScreenRow[], id: ColumnId): number {
  return rows.reduce((widest, row) => Math.max(widest, String(row[id as keyof ScreenRow] ?? '').length), 0);
}

/** The columns that fit in `width` cells, variable ones sized to their content. */
export function layoutColumns(width: number, rows: readonly ScreenRow[]): Column[] {
  const columns: Column[] = ORDER.map((id) => {
    const fixed = FIXED[id];
    if (fixed) return { id, ...fixed };
    const variable = VARIABLE[id]!;
    const size = Math.min(variable.max, Math.max(variable.header.length, contentWidth(rows, id)));
    return { id, header: variable.header, width: size, align: 'left' };
  });
  const total = (list: Column[]) => list.reduce((sum, column) => sum + column.width, 0) + GAP * (list.length - 1);
  let visible = columns;
  for (const id of DROP_ORDER) {
    if (total(visible) <= width) break;
    visible = visible.filter((column) => column.id !== id);
  }
  // Still too wide: shrink the variable columns towards their minimum, widest first.
  while (total(visible) > width) {
    const widest = visible
      .filter((column) => VARIABLE[column.id] && column.width > (VARIABLE[column.id]?.min ?? 0))
      .sort((a, b) => b.width - a.width)[0];
    if (!widest) break;
    widest.width -= 1;
  }
  return visible;
}

/** Fits text into a cell: truncated with `…`, padded on the aligned side. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const chars = [...text];
  const cut = chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : text;
  const padding = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'right' ? padding + cut : cut + padding;
}

export const COLUMN_GAP = GAP;
