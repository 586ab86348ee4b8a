/**
 * Numbers and times as Prometheus writes them in JSON (web/api/v1/api.go, jsonutil):
 * sample values are strings from strconv.FormatFloat(v, 'f', -1, 64) — the shortest decimal
 * that reads back to the same float64, never in exponent form —, and timestamps are seconds
 * with millisecond precision.
 */

/** strconv.FormatFloat(v, 'f', -1, 64), with Prometheus' spellings of the special values. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0'; // Go keeps the sign of zero; String(-0) drops it
  // JS and Go both pick the shortest round-tripping digits (closest to v on ties), so only
  // the exponent notation JS uses below 1e-6 and from 1e21 on has to be written out.
  const text = String(v);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', rest = '', exponentText = '0'] = match;
  const digits = lead + rest;
  const exponent = Number(exponentText);
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  return sign + digits + '0'.repeat(Math.max(0, exponent + 1 - digits.length));
}

/** A TSDB timestamp (milliseconds) as the seconds Prometheus puts in JSON. */
export function formatTimestamp(ms: number): number {
  return ms / 1000;
}
