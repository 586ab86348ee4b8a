import { tableCell } from './terminal-text.js';

/** A plain text table: left-aligned columns (right-aligned where asked), two spaces apart. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** A cell in colour: the table cleans and pads its text, then paints it, so colour is only ever ours. */
export interface PaintedCell {
  text: string;
  paint: (text: string) => string;
}

export type Cell = string | PaintedCell;

export function renderTable(columns: readonly Column[], cells: readonly (readonly Cell[])[]): string {
  const rows = cells.map((row) => row.map((cell): Partial<PaintedCell> & { text: string } => (typeof cell === 'string' ? { text: tableCell(cell) } : { ...cell, text: tableCell(cell.text) })));
  // A reduce, not Math.max(...): spread arguments overflow the stack beyond some 125,000 rows.
  const sizes = columns.map((column, i) => rows.reduce((size, row) => Math.max(size, row[i]?.text.length ?? 0), column.header.length));
  const line = (row: readonly Partial<PaintedCell>[]): string =>
    columns
      .map((column, i) => {
        const { text = '', paint } = row[i] ?? {};
        const fill = ' '.repeat(Math.max(0, (sizes[i] ?? 0) - text.length));
        const shown = paint && text !== '' ? paint(text) : text;
        return column.align === 'right' ? fill + shown : shown + fill;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => ({ text: column.header }))), ...rows.map(line)].join('\n');
}
