import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translateRegex } from '../../../mocks/promql/regex.js';
import { regexAlternation } from '../../../src/query/escape.js';

/** Whether Prometheus' `=~ pattern` matches `value` (throws when the pattern is refused). */
function matches(pattern: string, value: string): boolean {
  const result = translateRegex(pattern);
  if (!('regexp' in result)) throw new Error(result.error);
  return result.regexp.test(value);
}
const error = (pattern: string): string | undefined => {
  const result = translateRegex(pattern);
  return 'error' in result ? result.error : undefined;
};
const refused = (pattern: string): boolean => {
  const result = translateRegex(pattern);
  return 'error' in result && result.unsupported === true;
};

describe('RE2 → JS regex translation', () => {
  it('anchors the whole pattern, alternations included', () => {
    expect(matches('a', 'a')).toBe(true);
    expect(matches('a', 'ba')).toBe(false);
    expect(matches('a', 'ab')).toBe(false);
    expect(matches('a|b', 'a')).toBe(true);
    expect(matches('a|b', 'ab')).toBe(false);
    expect(matches('a|', '')).toBe(true);
    expect(matches('.*', '')).toBe(true);
    expect(matches('reviews\\.default', 'reviewsXdefault')).toBe(false);
    expect(matches('reviews.default', 'reviewsXdefault')).toBe(true);
  });

  it('. does not match \\n unless (?s); negated classes do', () => {
    expect(matches('a.b', 'a\nb')).toBe(false);
    expect(matches('a.b', 'a\rb')).toBe(true); // JS' plain . would not match \r
    expect(matches('a.b', 'a\u2028b')).toBe(true);
    expect(matches('(?s)a.b', 'a\nb')).toBe(true);
    expect(matches('(?s:a.)b', 'a\nb')).toBe(true);
    expect(matches('(?s:a)..', 'a\nb')).toBe(false);
    expect(matches('a[^x]b', 'a\nb')).toBe(true);
    expect(matches('.', '😀')).toBe(true); // one rune, not two UTF-16 units
  });

  it('Perl classes are ASCII and \\s has no \\v, as in Go', () => {
    expect(matches('\\s', '\u000b')).toBe(false);
    expect(matches('\\s', '\u00a0')).toBe(false);
    expect(matches('\\s', '\t')).toBe(true);
    expect(matches('\\S', '\u000b')).toBe(true);
    expect(matches('\\d', '٣')).toBe(false);
    expect(matches('\\w+', 'a_Z9')).toBe(true);
    expect(matches('\\w', 'é')).toBe(false);
    expect(matches('[\\D]', '\n')).toBe(true);
    expect(matches('[^\\d\\s]', 'x')).toBe(true);
  });

  it('POSIX classes, negated too; an unknown one is an error', () => {
    expect(matches('[[:alpha:]]+', 'abcXYZ')).toBe(true);
    expect(matches('[[:^digit:]]', '5')).toBe(false);
    expect(matches('[[:space:]]', '\u000b')).toBe(true);
    expect(error('[[:foo:]]')).toMatch(/invalid character class range/);
  });

  it('reads classes the RE2 way: ] first is literal, - where no range can be', () => {
    expect(matches('[]a]', ']')).toBe(true);
    expect(matches('[]a]', 'a')).toBe(true);
    expect(matches('[^]a]', 'b')).toBe(true);
    expect(matches('[^]a]', ']')).toBe(false);
    expect(matches('[a-]', '-')).toBe(true);
    expect(matches('[a-c-e]+', 'b-e')).toBe(true);
    expect(matches('[a-c-e]', 'd')).toBe(false);
    expect(error('[z-a]')).toMatch(/invalid character class range/);
    expect(error('[a-\\d]')).toMatch(/invalid escape/);
    expect(error('[]')).toMatch(/missing closing \]/);
    expect(error('[a')).toMatch(/missing closing \]/);
  });

  it('{ that is no repetition is a literal; counts are checked as Go does', () => {
    expect(matches('a{', 'a{')).toBe(true);
    expect(matches('a{,2}', 'a{,2}')).toBe(true);
    expect(matches('a{01}', 'a{01}')).toBe(true);
    expect(matches('a{2}', 'aa')).toBe(true);
    expect(matches('a{2,}', 'aaaa')).toBe(true);
    expect(matches('a{2,3}', 'aaaa')).toBe(false);
    expect(matches('a{1000}', 'a'.repeat(1000))).toBe(true);
    expect(error('a{1001}')).toMatch(/invalid repeat count/);
    expect(error('a{2,1}')).toMatch(/invalid repeat count/);
    expect(error('((a{10}){10}){11}')).toMatch(/invalid repeat count/);
    expect(error('((a{10}){10}){10}')).toBeUndefined();
    expect(error('{2}')).toMatch(/missing argument/);
  });

  it('refuses repetitions Go refuses', () => {
    expect(error('a**')).toMatch(/invalid nested repetition operator/);
    expect(error('a*+')).toMatch(/invalid nested repetition operator/);
    expect(error('a{2}*')).toMatch(/invalid nested repetition operator/);
    expect(error('*a')).toMatch(/missing argument to repetition operator/);
    expect(error('(*)')).toMatch(/missing argument/);
    expect(error('a|*')).toMatch(/missing argument/);
    expect(matches('a*?b', 'aab')).toBe(true);
    expect(matches('^*a', 'a')).toBe(true);
  });

  it('escapes: octal and hex code points, punctuation; back-references and unknown letters are errors', () => {
    expect(matches('\\061', '1')).toBe(true);
    expect(matches('\\01', '\u0001')).toBe(true);
    expect(matches('\\0', '\u0000')).toBe(true);
    expect(matches('\\x31', '1')).toBe(true);
    expect(matches('\\x{1F600}', '😀')).toBe(true);
    expect(matches('\\_\\-\\ \\.\\/', '_- ./')).toBe(true);
    expect(matches('\\a\\f\\t\\n\\r\\v', '\u0007\f\t\n\r\u000b')).toBe(true);
    expect(error('\\1')).toMatch(/invalid escape sequence: `\\1`/);
    expect(error('(a)\\1')).toMatch(/invalid escape/);
    expect(error('\\8')).toMatch(/invalid escape/);
    expect(error('\\q')).toMatch(/invalid escape/);
    expect(error('\\Z')).toMatch(/invalid escape/);
    expect(error('\\x{}')).toMatch(/invalid escape/);
    expect(error('\\x4')).toMatch(/invalid escape/);
    expect(error('a\\')).toMatch(/trailing backslash/);
    expect(error('[\\b]')).toMatch(/invalid escape/);
  });

  it('assertions: \\A \\z \\b \\B, ^ and $ as text anchors, as line anchors under (?m)', () => {
    expect(matches('\\Aa\\z', 'a')).toBe(true);
    expect(matches('a\\b', 'a')).toBe(true);
    expect(matches('a\\Bb', 'ab')).toBe(true);
    expect(matches('a\\n^b', 'a\nb')).toBe(false);
    expect(matches('a\\n(?m)^b', 'a\nb')).toBe(true);
    expect(matches('a(?m)$\\nb', 'a\nb')).toBe(true);
    expect(matches('a$\\nb', 'a\nb')).toBe(false);
    expect(matches('(?m:a$)\\nb', 'a\nb')).toBe(true);
  });

  it('\\Q…\\E is literal text', () => {
    expect(matches('\\Q.*\\E', '.*')).toBe(true);
    expect(matches('\\Q.*\\E', 'ab')).toBe(false);
    expect(matches('\\Qa.', 'a.')).toBe(true);
    expect(matches('\\Qab\\E*', 'abbb')).toBe(true);
  });

  it('groups: capturing, non-capturing and (?P<name>…) are all just groups; Perl-only syntax is an error', () => {
    expect(matches('(a)(?:b)(?P<n>c)', 'abc')).toBe(true);
    expect(matches('(?P<n>a)(?P<n>b)', 'ab')).toBe(true); // Go 1.19 allows the same name twice
    expect(error('(?<n>a)')).toMatch(/invalid or unsupported Perl syntax/);
    expect(error('(?=a)')).toMatch(/invalid or unsupported Perl syntax/);
    expect(error('(?!a)')).toMatch(/invalid or unsupported Perl syntax/);
    expect(error('(?<=a)b')).toMatch(/invalid or unsupported Perl syntax/);
    expect(error('(?P<>a)')).toMatch(/invalid named capture/);
    expect(error('(?P<a-b>a)')).toMatch(/invalid named capture/);
    expect(error('(?-)a')).toMatch(/invalid or unsupported Perl syntax/);
    expect(error('(a')).toMatch(/missing closing \)/);
    expect(error('a)')).toMatch(/unexpected \)/);
    expect(matches('(?)a', 'a')).toBe(true);
    expect(matches('(?U)a+', 'aaa')).toBe(true);
  });

  it('refuses what JS cannot be trusted to match the same way: (?i) and Unicode classes', () => {
    expect(refused('(?i)abc')).toBe(true);
    expect(refused('a(?i:b)')).toBe(true);
    expect(refused('\\pL')).toBe(true);
    expect(refused('\\p{Greek}')).toBe(true);
    expect(refused('[\\PL]')).toBe(true);
    expect(error('(?i)abc')).toMatch(/\(\?i\)/);
  });

  it('the product\'s escaped alternations match exactly their values', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 5 }), fc.string({ maxLength: 12 }), (values, other) => {
        const pattern = regexAlternation(values);
        for (const value of values) expect(matches(pattern, value)).toBe(true);
        if (!values.includes(other)) expect(matches(pattern, other)).toBe(false);
      }),
    );
  });

  it('agrees with JS on the syntax both read the same way', () => {
    // Patterns from a grammar where RE2 and JS agree: letters, ., *, +, ?, |, (), [ab], {n,m}.
    const atom = fc.constantFrom('a', 'b', 'c', '.', '[ab]', '[^a]', '\\d', '\\.');
    const pattern: fc.Arbitrary<string> = fc.letrec<{ re: string; term: string }>((tie) => ({
      term: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('term'), fc.constantFrom('*', '+', '?', '{1,2}', '{2}')).map(([t, q]) => `(${t})${q}`),
        tie('re').map((r) => `(${r})`),
      ),
      re: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.array(tie('term'), { minLength: 1, maxLength: 4 }).map((terms) => terms.join('')),
        fc.tuple(tie('term'), tie('term')).map(([a, b]) => `${a}|${b}`),
      ),
    })).re;
    const subject = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', '1', 'x'), maxLength: 6 });
    fc.assert(
      fc.property(pattern, fc.array(subject, { maxLength: 10 }), (re, subjects) => {
        const js = new RegExp(`^(?:${re})$`);
        for (const s of subjects) expect(matches(re, s), `${re} on ${JSON.stringify(s)}`).toBe(js.test(s));
      }),
      { numRuns: 300 },
    );
  });
});
