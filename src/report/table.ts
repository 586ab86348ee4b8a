import { tableCell } from './terminal-text.js';

/** A plain text table: left-aligned columns (right-aligned where asked), two spaces apart. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** Visible width, ignoring ANSI colour codes. */
function width(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

function pad(text: string, size: number, align: Column['align']): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

export function renderTable(columns: readonly Column[], cells: readonly string[][]): string {
  const rows = cells.map((row) => row.map(tableCell));
  // A reduce, not Math.max(...): spread arguments overflow the stack beyond some 125,000 rows.
  const sizes = columns.map((column, i) => rows.reduce((size, row) => Math.max(size, width(row[i] ?? '')), width(column.header)));
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => pad(cells[i] ?? '', sizes[i] ?? 0, column.align))
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...rows.map(line)].join('\n');
}
