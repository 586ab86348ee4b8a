/**
 * Prometheus durations (`5m`, `1h30m`, `90s`): units ms, s, m, h, d, w, y, largest first.
 * https://prometheus.io/docs/prometheus/latest/querying/basics/#float-literals-and-time-durations
 */
const UNIT_SECONDS: Record<string, number> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };
const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;

/** Seconds in a Prometheus duration, or null when it is not one (or is zero, or beyond a number: 400 digits). */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === '') return null;
  const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  let seconds = 0;
  units.forEach((unit, position) => {
    const amount = match[2 + position * 2];
    if (amount !== undefined) seconds += Number(amount) * (UNIT_SECONDS[unit] ?? 0);
  });
  return seconds > 0 && Number.isFinite(seconds) ? seconds : null;
}

/** The shortest Prometheus spelling of a whole number of seconds (`300` → `5m`). */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let rest = Math.round(seconds);
  let text = '';
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = UNIT_SECONDS[unit] ?? 1;
    const amount = Math.floor(rest / size);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * size;
  }
  return text || '0s';
}
