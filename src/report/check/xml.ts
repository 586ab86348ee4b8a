/**
 * XML 1.0 (Fifth Edition), https://www.w3.org/TR/xml/ — the escaping the JUnit report needs.
 * Pure string helpers: no parser, no DOM.
 */

/**
 * §2.2 Characters: `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
 * Anything else (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE, U+FFFF) may not
 * appear in a document at all, not even as a character reference, so it cannot be escaped:
 * it is replaced by U+FFFD so a reader still sees that something was there.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const XML_REPLACEMENT = '\uFFFD';

export function replaceInvalidXmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, XML_REPLACEMENT);
}

/**
 * §2.4 Character Data and Markup: `&` and `<` must be escaped in character data; `>` is
 * escaped too (required in `]]>`, harmless elsewhere). §2.11 End-of-Line Handling turns a
 * literal CR into LF on parse, so CR is written as the character reference `&#13;` (§4.1)
 * to survive the round trip.
 */
export function escapeXmlText(text: string): string {
  return replaceInvalidXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/**
 * For a double- or single-quoted attribute value: §2.4's five (`& < > " '`), and — because
 * §3.3.3 Attribute-Value Normalization turns a literal tab, LF or CR into a space — those three
 * as character references (§4.1) so a multi-line message keeps its lines.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

/** ` name="value"` pairs in order; null and undefined values are left out. */
export function xmlAttributes(attributes: Record<string, string | number | null | undefined>): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== null && entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}
