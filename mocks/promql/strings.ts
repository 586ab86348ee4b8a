/**
 * PromQL string literals, as Prometheus 2.42 reads them: the lexer (promql/parser/lex.go
 * lexString, lexEscape, lexRawString) accepts "…", '…' and `…`, and the parser unquotes them
 * with util/strutil.Unquote, Go's strconv.Unquote rules (raw strings take no escapes).
 * Returns the value, or an error text in Prometheus' words.
 */

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

export type Unquoted = { value: string } | { error: string; unsupported?: true };

export function unquoteString(literal: string): Unquoted {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return { error: 'unterminated quoted string' };
  const body = literal.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) return { error: 'unterminated raw string' };
    return { value: body };
  }
  if (quote !== '"' && quote !== "'") return { error: `not a string literal: ${literal}` };

  // Escapes like \xff produce single bytes, so build the UTF-8 bytes and decode them at the end.
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < body.length; ) {
    const codePoint = body.codePointAt(i) ?? 0;
    const character = String.fromCodePoint(codePoint);
    i += character.length;
    if (character === '\n') return { error: 'unterminated quoted string' };
    if (character === quote) return { error: 'unterminated quoted string' };
    if (character !== '\\') {
      bytes.push(...encoder.encode(character));
      continue;
    }
    const next = body[i];
    if (next === undefined) return { error: 'escape sequence not terminated' };
    i += 1;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined || next === quote) {
      bytes.push(simple ?? next.charCodeAt(0));
      continue;
    }
    let digits: number;
    let base: number;
    let max: number;
    let start = i;
    if (next >= '0' && next <= '7') {
      [digits, base, max] = [3, 8, 255];
      start = i - 1;
    } else if (next === 'x') {
      [digits, base, max] = [2, 16, 255];
    } else if (next === 'u') {
      [digits, base, max] = [4, 16, 0x10ffff];
    } else if (next === 'U') {
      [digits, base, max] = [8, 16, 0x10ffff];
    } else {
      const shown = String.fromCodePoint(next.codePointAt(0) ?? 0);
      return { error: `unknown escape sequence U+${(shown.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} '${shown}'` };
    }
    const text = body.slice(start, start + digits);
    const pattern = base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
    if (text.length < digits || !pattern.test(text)) {
      return { error: 'illegal character in escape sequence' };
    }
    i = start + digits;
    const value = parseInt(text, base);
    if (value > max || (value >= 0xd800 && value < 0xe000)) {
      return { error: 'escape sequence is an invalid Unicode code point' };
    }
    if (max === 255) bytes.push(value);
    else bytes.push(...encoder.encode(String.fromCodePoint(value)));
  }
  try {
    return { value: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes)) };
  } catch {
    // Go would keep the invalid bytes; a JS string cannot, so refuse rather than guess.
    return { error: 'a string literal that is not valid UTF-8 (\\x or octal escapes of single bytes)', unsupported: true };
  }
}
