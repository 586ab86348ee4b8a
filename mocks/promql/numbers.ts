/**
 * PromQL number literals as Prometheus 2.42 reads them. The lexer (lex.go scanNumber) takes
 * decimal digits with an optional fraction and exponent, or 0x and hex digits, and the words
 * Inf and NaN in any case; the parser (parser.go number()) then tries
 * strconv.ParseInt(text, 0, 64) — so a leading 0 means OCTAL, `017` is 15 — and falls back to
 * strconv.ParseFloat. lezer's literal may carry a sign and blanks (`- Inf`): the sign is the
 * unary minus Prometheus folds into the literal.
 * Returns the value, or an error text.
 */

const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** strconv.ParseInt(text, 0, 64) for what the lexer lets through, or null where Go fails. */
function parseIntBase0(text: string): bigint | null {
  let value: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = BigInt(text.toLowerCase());
  else if (/^0[0-7]+$/.test(text)) value = BigInt(`0o${text.slice(1)}`);
  else if (/^(?:0|[1-9]\d*)$/.test(text)) value = BigInt(text);
  else return null;
  return value <= INT64_MAX ? value : null;
}

export function parseNumber(literal: string): { value: number } | { error: string } {
  const match = /^([+-]?)\s*(.*)$/s.exec(literal);
  const sign = match?.[1] === '-' ? -1 : 1;
  const text = match?.[2] ?? '';
  const lower = text.toLowerCase();
  let value: number;
  if (lower === 'inf') value = Infinity;
  else if (lower === 'nan') value = NaN;
  else {
    const integer = parseIntBase0(text);
    if (integer !== null) {
      value = Number(integer); // float64(int64): round to nearest even, as Number(bigint)
    } else if (DECIMAL.test(text)) {
      value = Number(text);
      // ParseFloat reports overflow (ErrRange) and the parser turns it into an error.
      if (!Number.isFinite(value)) return { error: `error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(text)}: value out of range` };
    } else {
      return { error: `error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax` };
    }
  }
  return { value: sign * value };
}
