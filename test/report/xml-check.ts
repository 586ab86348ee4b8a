/**
 * Just enough of an XML 1.0 reader to hold the JUnit report to the rules (no parser is
 * installed): one root element, balanced tags, well-formed attributes, only §2.2 characters,
 * `&` only as a §4.1/§4.6 reference, no raw `<` in text or `<`/quote in attribute values.
 * Throws on anything else; decodes values the way a conforming parser does (§2.11, §3.3.3).
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Decoded character data directly inside the element. */
  text: string;
}

// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeReferences(raw: string): string {
  const stray = raw.replace(REFERENCE, '').indexOf('&');
  if (stray >= 0) throw new Error(`bare & in ${JSON.stringify(raw)}`);
  return raw.replace(REFERENCE, (_, name?: string, dec?: string, hex?: string) =>
    name ? NAMED[name]! : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16)),
  );
}

/** §3.3.3: literal whitespace becomes a space before references are expanded. */
export function decodeAttribute(raw: string): string {
  if (raw.includes('<')) throw new Error(`raw < in attribute ${JSON.stringify(raw)}`);
  return decodeReferences(raw.replace(/\r\n|[\t\n\r]/g, ' '));
}

/** §2.11: CRLF and lone CR become LF before references are expanded. */
export function decodeText(raw: string): string {
  if (raw.includes(']]>')) throw new Error(']]> in text');
  return decodeReferences(raw.replace(/\r\n?/g, '\n'));
}

const NAME = '[A-Za-z_][A-Za-z0-9_.:-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'gy');
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"]*"|'[^']*'))*)\\s*(/?)>`, 'y');

export function parseXml(xml: string): XmlElement {
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) throw new Error(`character U+${bad[0].codePointAt(0)!.toString(16)} is not allowed in XML 1.0`);
  let position = 0;
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(xml);
  if (declaration) position = declaration[0].length;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (position < xml.length) {
    const top = stack[stack.length - 1]!;
    const lt = xml.indexOf('<', position);
    const end = lt < 0 ? xml.length : lt;
    const text = decodeText(xml.slice(position, end));
    if (stack.length === 1 && text.trim() !== '') throw new Error('text outside the root element');
    top.text += text;
    position = end;
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const tag = TAG.exec(xml);
    if (!tag) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 40))}`);
    const [whole, closing, name, rawAttributes, selfClosing] = tag;
    position = lt + whole.length;
    if (closing) {
      if (rawAttributes || selfClosing) throw new Error(`malformed end tag </${name}>`);
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    ATTRIBUTE.lastIndex = 0;
    for (const match of rawAttributes!.matchAll(ATTRIBUTE)) {
      const key = match[1]!;
      if (key in attributes) throw new Error(`duplicate attribute ${key} on <${name}>`);
      attributes[key] = decodeAttribute(match[2] ?? match[3] ?? '');
    }
    const element: XmlElement = { name: name!, attributes, children: [], text: '' };
    if (stack.length === 1 && root.children.length > 0) throw new Error('more than one root element');
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const [document] = root.children;
  if (!document || root.children.length !== 1) throw new Error('no root element');
  return document;
}

/** Every element named `name`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((child) => findAll(child, name))];
}
