/** Small text graphics for the table: a bar of actual vs declared, and a trend sparkline. */

const SPARKS = '▁▂▃▄▅▆▇█';

/** `width` cells: filled up to the actual share, `│` where the declared share is. */
export function shareBar(actual: number | null, declared: number, width: number): string {
  if (width <= 0) return '';
  const cells = Array.from({ length: width }, () => '░');
  const filled = actual === null ? 0 : Math.round((Math.max(0, Math.min(100, actual)) / 100) * width);
  for (let i = 0; i < filled; i++) cells[i] = '█';
  const mark = Math.min(width - 1, Math.max(0, Math.round((declared / 100) * width) - (declared >= 100 ? 1 : 0)));
  cells[mark] = '│';
  return cells.join('');
}

/** The last `width` values scaled 0–100 %, so trends of different rows compare. */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const recent = values.slice(-width);
  const line = recent.map((value) => SPARKS[Math.min(SPARKS.length - 1, Math.max(0, Math.floor((value / 100) * SPARKS.length)))] ?? ' ').join('');
  return line.padStart(width, ' ');
}
