import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, replaceControlCharacters, workflowCommand } from '../../src/report/check/github-escape.js';
import { escapeTableCell } from '../../src/report/check/markdown-escape.js';
import { escapeXmlAttribute, escapeXmlText, replaceInvalidXmlChars, xmlAttributes } from '../../src/report/check/xml.js';
import { decodeAttribute, decodeText, parseXml } from './xml-check.js';

/** Strings made mostly of the characters each format cares about, plus anything at all. */
const NASTY_CHARS = ['<', '>', '&', '"', "'", '\r', '\n', '\t', '\u0000', '\u0007', '\u001b', '\u009b', '\uFFFE', '\uD800', '\uDC00', '😀', '|', '\\', '`', '*', '_', '[', ']', '%', ':', ',', '::', '%25', '&amp;', '\\|', 'a', ' ', 'é'];
const nasty = fc.oneof(fc.string({ unit: fc.constantFrom(...NASTY_CHARS), maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

describe('XML escaping (XML 1.0 §2.2, §2.4)', () => {
  it('escapes the five special characters', () => {
    expect(escapeXmlText(`<a href="x">&'</a>`)).toBe(`&lt;a href="x"&gt;&amp;'&lt;/a&gt;`);
    expect(escapeXmlAttribute(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  it('replaces characters XML 1.0 does not allow and keeps tab, LF, CR as references in attributes', () => {
    expect(replaceInvalidXmlChars('a\u0000b\u0007c\u001bd\uFFFEe\uD800f\tg\nh\ri😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\tg\nh\ri😀');
    expect(escapeXmlAttribute('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
    expect(escapeXmlText('a\r\nb')).toBe('a&#13;\nb');
  });

  it('writes attributes in order and leaves out null ones', () => {
    expect(xmlAttributes({ name: 'a"b', line: 3, file: null, title: undefined })).toBe(' name="a&quot;b" line="3"');
  });

  it('an escaped attribute has no raw <, quote, whitespace control, or & outside a reference', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const escaped = escapeXmlAttribute(text);
        expect(escaped).not.toMatch(/[<"'\t\n\r]/);
        expect(escaped.replace(/&(?:amp|lt|gt|quot|apos|#\d+);/g, '')).not.toContain('&');
        expect(decodeAttribute(escaped)).toBe(replaceInvalidXmlChars(text));
      }),
    );
  });

  it('escaped text round-trips through a parser, and so does a whole element', () => {
    fc.assert(
      fc.property(nasty, nasty, (text, attribute) => {
        expect(decodeText(escapeXmlText(text))).toBe(replaceInvalidXmlChars(text));
        const element = parseXml(`<e${xmlAttributes({ a: attribute })}>${escapeXmlText(text)}</e>`);
        expect(element.attributes.a).toBe(replaceInvalidXmlChars(attribute));
        expect(element.text).toBe(replaceInvalidXmlChars(text));
      }),
    );
  });
});

/** What the Actions runner does with a command's values: one pass, so `%250A` stays `%0A`. */
const unescapeCommandValue = (text: string) =>
  text.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));

describe('GitHub workflow command escaping (@actions/core command.ts)', () => {
  it('escapes data and properties as the toolkit does', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext%3A a%2C b');
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('escaped data never holds a raw line break, and decodes to the original', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const escaped = escapeData(text);
        expect(escaped).not.toMatch(/[\r\n]/);
        expect(escaped).not.toMatch(/%(?!25|0D|0A)/);
        expect(unescapeCommandValue(escaped)).toBe(text);
      }),
    );
  });

  it('escaped properties never hold a separator or line break, and decode to the original', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const escaped = escapeProperty(text);
        expect(escaped).not.toMatch(/[\r\n:,]/);
        expect(unescapeCommandValue(escaped)).toBe(text);
      }),
    );
  });

  it('a command is one line whose parts parse back to what was given (control characters aside)', () => {
    fc.assert(
      fc.property(nasty, nasty, nasty, fc.integer({ min: 1, max: 10_000 }), (file, title, message, line) => {
        const command = workflowCommand('error', { file, line, title }, message);
        expect(command).not.toMatch(/[\r\n\u0000-\u0008\u001b\u009b]/);
        // The runner ends the properties at the first `::` after the command name.
        const parsed = /^::error(?: ([^]*?))?::([^]*)$/.exec(command);
        expect(parsed).not.toBeNull();
        const properties = Object.fromEntries(
          (parsed![1] ?? '').split(',').filter(Boolean).map((pair) => {
            const at = pair.indexOf('=');
            return [pair.slice(0, at), unescapeCommandValue(pair.slice(at + 1))];
          }),
        );
        expect(unescapeCommandValue(parsed![2]!)).toBe(replaceControlCharacters(message));
        if (file) {
          expect(properties.file).toBe(replaceControlCharacters(file));
          expect(properties.line).toBe(String(line));
        }
        if (title) expect(properties.title).toBe(replaceControlCharacters(title));
      }),
    );
  });

  it('leaves properties out when absent', () => {
    expect(workflowCommand('warning', {}, 'x')).toBe('::warning::x');
    expect(workflowCommand('notice', { file: 'a.yaml', line: null, title: 'T' }, 'x')).toBe('::notice file=a.yaml,title=T::x');
    expect(workflowCommand('notice', { file: null, line: 3 }, 'x')).toBe('::notice::x');
  });
});

/** CommonMark/GFM: a backslash before ASCII punctuation stands for the punctuation. */
const unescapeMarkdown = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('Markdown table cell escaping (GFM §4.10, §6.1)', () => {
  it('escapes pipes, backticks, markup, and folds line breaks', () => {
    expect(escapeTableCell('a|b')).toBe('a\\|b');
    expect(escapeTableCell('`code` *x* _y_ [l](u) <b> &amp; ~s~ @me #1')).toBe(
      '\\`code\\` \\*x\\* \\_y\\_ \\[l\\](u) \\<b\\> \\&amp; \\~s\\~ \\@me \\#1',
    );
    expect(escapeTableCell('line1\r\nline2\nline3\rline4')).toBe('line1 line2 line3 line4');
    expect(escapeTableCell('back\\|slash')).toBe('back\\\\\\|slash');
    expect(escapeTableCell('esc\u001b[31m')).toBe('esc\uFFFD\\[31m');
  });

  it('an escaped cell is one line, every pipe and backtick escaped, and reads back as the text', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const escaped = escapeTableCell(text);
        expect(escaped).not.toMatch(/[\r\n]/);
        // Every | ` < is preceded by an odd number of backslashes: the escape itself is not escaped.
        for (const match of escaped.matchAll(/(\\*)[|`<]/g)) expect(match[1]!.length % 2).toBe(1);
        const expected = replaceControlCharacters(text.replace(/\r\n|[\r\n]/g, ' '));
        expect(unescapeMarkdown(escaped)).toBe(expected);
      }),
    );
  });
});
