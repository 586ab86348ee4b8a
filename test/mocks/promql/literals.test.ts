import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatValue } from '../../../mocks/promql/format.js';
import { parseNumber } from '../../../mocks/promql/numbers.js';
import { unquoteString } from '../../../mocks/promql/strings.js';
import { apiStepToMs, apiTimeToMs, durationSeconds, parseDurationMs } from '../../../mocks/promql/time.js';

const number = (text: string) => {
  const parsed = parseNumber(text);
  return 'value' in parsed ? parsed.value : parsed.error;
};
const unquote = (text: string) => {
  const result = unquoteString(text);
  return 'value' in result ? result.value : `ERROR ${result.error}`;
};

describe('values as Prometheus writes them (strconv.FormatFloat(v, \'f\', -1, 64))', () => {
  it('shortest round-trip digits, never an exponent; special values spelled as Prometheus does', () => {
    expect(formatValue(1)).toBe('1');
    expect(formatValue(0.1)).toBe('0.1');
    expect(formatValue(1 / 3)).toBe('0.3333333333333333');
    expect(formatValue(1e21)).toBe('1000000000000000000000');
    expect(formatValue(1.5e300)).toBe('15' + '0'.repeat(299));
    expect(formatValue(1e-7)).toBe('0.0000001');
    expect(formatValue(-1.25e-10)).toBe('-0.000000000125');
    expect(formatValue(123456789012345678901234)).toBe('123456789012345690000000'); // as Prometheus 2.42 answers
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(-0)).toBe('-0');
    expect(formatValue(0)).toBe('0');
  });

  it('reads back to the same number', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
      expect(Object.is(Number(formatValue(v)), v)).toBe(true);
      expect(formatValue(v)).not.toMatch(/e/);
    }));
  });
});

describe('number literals (lexer + strconv.ParseInt(s, 0, 64), then ParseFloat)', () => {
  it('decimal, hex, octal(!), Inf and NaN in any case, with the folded sign', () => {
    expect(number('1.5')).toBe(1.5);
    expect(number('.5')).toBe(0.5);
    expect(number('5.')).toBe(5);
    expect(number('1e3')).toBe(1000);
    expect(number('0x1F')).toBe(31);
    expect(number('-0x10')).toBe(-16);
    expect(number('017')).toBe(15); // Go's base-0 ParseInt: a leading 0 is octal
    expect(number('08')).toBe(8); // not octal: ParseFloat reads it as decimal
    expect(number('Inf')).toBe(Infinity);
    expect(number('- Inf')).toBe(-Infinity);
    expect(number('+inf')).toBe(Infinity);
    expect(number('nAn')).toBeNaN();
    expect(Object.is(number('-0'), -0)).toBe(true);
    expect(number('123456789012345678901234')).toBe(1.2345678901234568e23);
  });
  it('errors where Prometheus errors', () => {
    expect(number('0xffffffffffffffffff')).toMatch(/invalid syntax/);
    expect(number('1_000')).toMatch(/invalid syntax/);
    expect(number('1e400')).toMatch(/out of range/);
    expect(number('5m')).toMatch(/invalid syntax/);
    expect(number('0x1.8p1')).toMatch(/invalid syntax/);
  });
});

describe('string literals (Go strconv.Unquote rules)', () => {
  it('double, single and back quotes; Go escapes', () => {
    expect(unquote('"a\\"b"')).toBe('a"b');
    expect(unquote("'a\\'b'")).toBe("a'b");
    expect(unquote('`a\\nb`')).toBe('a\\nb');
    expect(unquote('"\\a\\b\\f\\n\\r\\t\\v\\\\"')).toBe('\u0007\b\f\n\r\t\u000b\\');
    expect(unquote('"\\x31\\061\\u0031\\U00000031"')).toBe('1111');
    expect(unquote('"\\xc3\\xa9"')).toBe('é');
    expect(unquote('"é☃😀"')).toBe('é☃😀');
  });
  it('refuses what the 2.42 lexer refuses', () => {
    expect(unquote('"\\\'"')).toMatch(/unknown escape sequence U\+0027/);
    expect(unquote("'\\\"'")).toMatch(/unknown escape sequence/);
    expect(unquote('"\\q"')).toMatch(/unknown escape sequence/);
    expect(unquote('"\\x4"')).toMatch(/illegal character/);
    expect(unquote('"\\ud800"')).toMatch(/invalid Unicode code point/);
    expect(unquote('"\\U00110000"')).toMatch(/invalid Unicode code point/);
    expect(unquote('"a\nb"')).toMatch(/unterminated/);
    const bytes = unquoteString('"\\xff"');
    expect('error' in bytes && bytes.unsupported).toBe(true);
  });
});

describe('durations and times', () => {
  it('PromQL durations: units y w d h m s ms, largest first', () => {
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('1y2w3d4h5m6s7ms')).toBe(((((365 + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7);
    expect(parseDurationMs('0s')).toBe(0);
    expect(parseDurationMs('300')).toMatch(/missing unit/);
    expect(parseDurationMs('5m1h')).toMatch(/not a valid duration/);
    expect(parseDurationMs('1.5h')).toMatch(/not a valid duration/);
    expect(parseDurationMs('5M')).toMatch(/not a valid duration/);
    expect(parseDurationMs('300y')).toMatch(/out of range/);
  });
  it('Duration.Seconds()', () => {
    expect(durationSeconds(300_000)).toBe(300);
    expect(durationSeconds(500)).toBe(0.5);
    expect(durationSeconds(1_500)).toBe(1.5);
  });
  it('API times: fraction rounded to the millisecond (web/api/v1 parseTime)', () => {
    expect(apiTimeToMs(1700001800)).toBe(1700001800000);
    expect(apiTimeToMs(1700001800.3)).toBe(1700001800300);
    expect(apiTimeToMs(1700001800.123)).toBe(1700001800123);
    expect(apiTimeToMs(1700001800.9999)).toBe(1700001801000);
    // The double nearest 1700001800.0015 is just below it: Prometheus answers .001 (checked).
    expect(apiTimeToMs(1700001800.0015)).toBe(1700001800001);
    expect(apiTimeToMs(1700001800.0005)).toBe(1700001800000);
  });
  it('API steps: truncated to nanoseconds, then to milliseconds', () => {
    expect(apiStepToMs(15)).toBe(15_000);
    expect(apiStepToMs(0.3003)).toBe(300);
    expect(apiStepToMs(0.0001)).toBe(0);
  });
});
