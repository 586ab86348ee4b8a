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
 * `scheme://user:pass@host` → `scheme://***@host`; `Bearer <8+ credential chars>` → `Bearer ***`;
 * `token=…`, `password=…` (and `access_token=`, `client-secret=`…) → `token=***`: secrets we
 * were not told about, e.g. one a proxy echoes back or a kubectl credential plugin prints.
 */
function redactGenericCredentials(text: string): string {
  return redactUserInfo(text)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`)
    .replace(/(token|password|passwd|secret)=("[^"]*"|[^\s&;,'"]+)/gi, `$1=${REDACTED}`);
}

const USER_INFO = /[^\s/@]+/y;

/**
 * What `text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')` does, in linear time:
 * that regex is retried from every position of a long run of scheme characters (a hex blob, a
 * token in a proxy's page), quadratic in its length — seconds for 100 KB of a body we only
 * quote 80 characters of. Here each `://` is found once, its scheme walked back over (the run
 * of scheme characters before it, from its first letter), its user-info forward.
 */
export function redactUserInfo(text: string): string {
  let out = '';
  let cursor = 0;
  for (let separator = text.indexOf('://'); separator >= 0; separator = text.indexOf('://', separator + 1)) {
    if (separator < cursor) continue;
    let start = separator;
    while (start > cursor && isSchemeCharacter(text.charCodeAt(start - 1))) start--;
    while (start < separator && !isLetter(text.charCodeAt(start))) start++;
    if (start === separator) continue;
    USER_INFO.lastIndex = separator + 3;
    const userInfo = USER_INFO.exec(text);
    const end = USER_INFO.lastIndex;
    if (!userInfo || text.charCodeAt(end) !== AT) continue;
    out += `${text.slice(cursor, separator + 3)}${REDACTED}@`;
    cursor = end + 1;
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

const AT = 64;

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function isSchemeCharacter(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46;
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
