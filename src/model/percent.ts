/** `20%`, `33.3%`: whole numbers stay whole, others get one decimal. */
export function formatPercent(percent: number): string {
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}
