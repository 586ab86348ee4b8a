/**
 * Secret redaction for any text that may reach a user: server-provided error strings,
 * the first bytes of an HTML page, warnings.
 *
 * Pure and total: never throws, whatever the input.
 */

export const REDACTED = '***';

/** At most this many passes; each pass strictly shrinks the secret-bearing text, see below. */
const MAX_PASSES = 64;

/**
 * Replaces every occurrence of every non-empty secret in `text` with `***`, plus generic
 * credential shapes (URL user-info, `Bearer …`/`Basic …` credentials).
 *
 * Occurrences are found on the original text (overlaps included) and merged before replacing,
 * so one secret that contains another is removed whole. Replacing can, in pathological cases,
 * create a new occurrence across the boundary of a `***` (secret `a*` in `aa*`), so the pass is
 * repeated until no secret remains; every pass removes at least one non-`*` character, so this
 * terminates. Secrets made only of `*` cannot be told apart from the marker and are ignored.
 */
export function redact(text: string, secrets: readonly string[]): string {
  if (typeof text !== 'string' || text.length === 0) return typeof text === 'string' ? text : '';
  const usable = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0 && /[^*]/.test(s)))];
  let out = redactGenericCredentials(text);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const ranges: [number, number][] = [];
    for (const secret of usable) {
      let from = 0;
      for (;;) {
        const at = out.indexOf(secret, from);
        if (at < 0) break;
        ranges.push([at, at + secret.length]);
        from = at + 1;
      }
    }
    if (ranges.length === 0) return out;
    ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let result = '';
    let cursor = 0;
    let current: [number, number] | undefined;
    for (const range of ranges) {
      if (current && range[0] <= current[1]) {
        current[1] = Math.max(current[1], range[1]);
        continue;
      }
      if (current) {
        result += out.slice(cursor, current[0]) + REDACTED;
        cursor = current[1];
      }
      current = [range[0], range[1]];
    }
    if (current) {
      result += out.slice(cursor, current[0]) + REDACTED;
      cursor = current[1];
    }
    out = result + out.slice(cursor);
  }
  // Unreachable in practice (see above); never return text that might still hold a secret.
  return usable.some((s) => out.includes(s)) ? REDACTED : out;
}

/**
 * `scheme://user:pass@host` → `scheme://***@host`; `Bearer <8+ credential chars>` → `Bearer ***`
 * (a secret we were not told about, e.g. one a proxy echoes back).
 */
function redactGenericCredentials(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, `$1${REDACTED}@`)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`);
}

/**
 * Makes server text fit in a one-line message: redacted, control characters and runs of
 * whitespace collapsed to one space, cut to `max` characters with an ellipsis.
 */
export function oneLine(text: string, secrets: readonly string[], max = 200): string {
  // Redact first (a secret could span a newline), then again after collapsing whitespace
  // (collapsing could join the halves of a secret that contains a run of spaces), then once
  // more after cutting (a cut cannot create a secret, but stay defensive about the result).
  const collapsed = redact(text, secrets)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ')
    .trim();
  const again = redact(collapsed, secrets);
  const cut = again.length > max ? `${again.slice(0, max - 1).trimEnd()}…` : again;
  return redact(cut, secrets);
}
