/** Plain text helpers the components share. */
export { clean } from '../../report/terminal-text.js';

/** `12:00:05`, local time; `–` for never. */
export function clock(date: Date | null): string {
  if (!date) return '–';
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** `8s`, `3m12s`, `1h05m`: a countdown that stays short. */
export function countdown(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, '0')}m`;
}

/** Requests (connections) per second: `9.3`, `1,234`. */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return '–';
  return rate < 1000 ? rate.toFixed(1) : Math.round(rate).toLocaleString('en-US');
}
