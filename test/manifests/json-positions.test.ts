import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/manifests/parse.js';

/** Every (container, key) → line pair of a parsed document, by path. */
function lines(source: ReturnType<typeof parseSource>, shift = 0): Map<string, number | undefined> {
  const result = new Map<string, number | undefined>();
  const walk = (node: unknown, path: string) => {
    if (node === null || typeof node !== 'object') return;
    result.set(path, (source.positions.lineOf(node) ?? 0) - shift);
    for (const [key, child] of Object.entries(node)) {
      const index = Array.isArray(node) ? Number(key) : key;
      result.set(`${path}/${key}@`, (source.positions.lineOf(node, index) ?? 0) - shift);
      walk(child, `${path}/${key}`);
    }
  };
  walk(source.documents[0]?.value, '');
  return result;
}

const manifest = fc.record({
  apiVersion: fc.constant('networking.istio.io/v1'),
  kind: fc.constant('VirtualService'),
  metadata: fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), annotations: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })) }),
  spec: fc.record({
    hosts: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
    http: fc.array(
      fc.record({
        route: fc.array(fc.record({ destination: fc.record({ host: fc.string({ maxLength: 10 }) }), weight: fc.integer({ min: 0, max: 100 }) }), { maxLength: 4 }),
      }),
      { maxLength: 3 },
    ),
    extra: fc.jsonValue({ maxDepth: 3 }),
  }),
});

/**
 * JSON written out by hand, so the line of every key and item is known as it is written:
 * mappings as lists of pairs (so keys may repeat, look like integers or need escapes), each
 * container laid out one entry a line or all on one line.
 */
type Written = { pairs: [string, Written][]; multiline: boolean } | { items: Written[]; multiline: boolean } | string | number | boolean | null;

const written: fc.Arbitrary<Written> = fc.letrec<{ value: Written }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    fc.record({ pairs: fc.array(fc.tuple(fc.oneof(fc.constantFrom('a', 'b', '1', '20', '', 'k"q', 'b\\s', 'é', '__proto__', 'constructor', 'caller', 'length'), fc.string({ maxLength: 3 })), tie('value')), { maxLength: 5 }), multiline: fc.boolean() }),
    fc.record({ items: fc.array(tie('value'), { maxLength: 4 }), multiline: fc.boolean() }),
  ),
})).value;

/**
 * The text, the expected line of every container, key and item, by path, and the line of the
 * first key written twice in one mapping (in the text's order), if any.
 */
function writeOut(value: Written): { text: string; expected: Map<string, number>; firstRepeat: number | undefined } {
  let text = '';
  let line = 1;
  let firstRepeat: number | undefined;
  const expected = new Map<string, number>();
  const put = (part: string) => {
    text += part;
    line += part.split('\n').length - 1;
  };
  const write = (node: Written, path: (string | number)[], indent: string): void => {
    if (node === null || typeof node !== 'object') {
      put(JSON.stringify(node));
      return;
    }
    expected.set(nodePath(path), line);
    const entries: [string | number, Written][] = 'pairs' in node ? node.pairs : node.items.map((item, index) => [index, item]);
    put('pairs' in node ? '{' : '[');
    const inner = `${indent}  `;
    const written = new Set<string | number>();
    entries.forEach(([key, child], index) => {
      put(index > 0 ? ',' : '');
      put(node.multiline ? `\n${inner}` : ' ');
      if (written.has(key)) firstRepeat ??= line;
      written.add(key);
      // With a repeated key, the text is refused: what it would have kept does not matter.
      expected.set(keyPath(path, key), line);
      if (typeof key === 'string') put(`${JSON.stringify(key)}: `);
      write(child, [...path, key], inner);
    });
    put(node.multiline && entries.length > 0 ? `\n${indent}` : '');
    put('pairs' in node ? '}' : ']');
  };
  write(value, [], '');
  return { text, expected, firstRepeat };
}

/** Paths that no key can make ambiguous (keys may be empty or hold any character). */
const nodePath = (path: (string | number)[]) => JSON.stringify(['node', ...path]);
const keyPath = (path: (string | number)[], key: string | number) => JSON.stringify(['key', ...path, key]);

/** The line of every container and of every key and item in it, by nodePath and keyPath. */
function linesByPath(source: ReturnType<typeof parseSource>): Map<string, number | undefined> {
  const result = new Map<string, number | undefined>();
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node === null || typeof node !== 'object') return;
    result.set(nodePath(path), source.positions.lineOf(node));
    for (const [name, child] of Object.entries(node)) {
      const key = Array.isArray(node) ? Number(name) : name;
      result.set(keyPath(path, key), source.positions.lineOf(node, key));
      walk(child, [...path, key]);
    }
  };
  walk(source.documents[0]?.value, []);
  return result;
}

describe('JSON fast path', () => {
  it('gives every key and item the same line as the YAML parser would', () => {
    fc.assert(
      fc.property(manifest, fc.constantFrom(0, 2, 4), (object, indent) => {
        const json = JSON.stringify(object, null, indent);
        const fast = parseSource(json, 'x.json');
        // A leading comment sends the same text through the YAML parser, one line lower.
        const slow = parseSource(`# yaml\n${json}`, 'x.json');
        expect(fast.findings).toEqual([]);
        expect(fast.documents[0]?.value).toEqual(slow.documents[0]?.value);
        expect(lines(fast)).toEqual(lines(slow, 1));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps each key\'s line where Object.keys reorders keys: integer-like and merged keys', () => {
    // Object.keys puts "10" and "2" before "b".
    const json = parseSource('{\n  "b": 1,\n  "10": 2,\n  "2": 3\n}', 'x.json');
    const map = json.documents[0]!.value as object;
    expect([json.positions.lineOf(map, 'b'), json.positions.lineOf(map, '10'), json.positions.lineOf(map, 2)]).toEqual([2, 3, 4]);
    const yaml = parseSource('base: &base\n  x: 1\n  "7": 2\nitem:\n  <<: *base\n  w: 3\n  "3": 4\n', 'x.yaml');
    const item = (yaml.documents[0]!.value as { item: object }).item;
    expect(Object.keys(item)).toEqual(['3', '7', 'w', 'x']);
    // An unknown key gives the mapping's own line.
    expect(['3', '7', 'w', 'x', 'missing'].map((key) => yaml.positions.lineOf(item, key))).toEqual([7, 3, 6, 2, 5]);
    const sequence = parseSource('- a\n-\n  - b\n', 'x.yaml');
    const list = sequence.documents[0]!.value as unknown[];
    expect([0, 1, 2].map((index) => sequence.positions.lineOf(list, index))).toEqual([1, 3, 1]);
  });

  it('gives every key of a mapping with 20,000 keys its line, in YAML and JSON', () => {
    const keys = Array.from({ length: 20_000 }, (_, index) => `k${index}`);
    const yaml = parseSource(`m:\n${keys.map((key) => `  ${key}: 1\n`).join('')}`, 'x.yaml');
    const json = parseSource(`{"m": {\n${keys.map((key) => `"${key}": 1`).join(',\n')}\n}}`, 'x.json');
    for (const source of [yaml, json]) {
      const map = (source.documents[0]!.value as { m: object }).m;
      expect(keys.every((key, index) => source.positions.lineOf(map, key) === 2 + index)).toBe(true);
    }
  });

  it('gives every key and item the line it is written on (integer-like and escaped keys, any layout); a repeated key is MS001 at its line', () => {
    fc.assert(
      fc.property(written.filter((value) => value !== null && typeof value === 'object'), (value) => {
        const { text, expected, firstRepeat } = writeOut(value);
        const source = parseSource(text, 'x.json');
        if (firstRepeat !== undefined) {
          expect(source.findings.map((f) => [f.code, f.line, f.message])).toEqual([['MS001', firstRepeat, 'cannot parse: Map keys must be unique']]);
          expect(source.documents).toEqual([]);
          return;
        }
        expect(source.findings).toEqual([]);
        expect(source.documents[0]?.value).toEqual(JSON.parse(text));
        const actual = linesByPath(source);
        expect(actual.size).toBe(expected.size);
        for (const [path, line] of expected) expect([path, actual.get(path)]).toEqual([path, line]);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a repeated key as the YAML readers refuse the same text: MS001 at the second occurrence', () => {
    const text = '{\n  "apiVersion": "networking.istio.io/v1",\n  "kind": "VirtualService",\n  "spec": {\n    "weight": 10,\n    "weight": 90\n  }\n}';
    const asJson = parseSource(text, 'x.json');
    // A leading comment sends the same text through the YAML readers, one line lower.
    const asYaml = parseSource(`# exported\n${text}`, 'x.json');
    expect(asJson.findings.map((f) => [f.code, f.line, f.message])).toEqual([['MS001', 6, 'cannot parse: Map keys must be unique']]);
    expect(asYaml.findings.map((f) => [f.code, (f.line ?? 0) - 1, f.message])).toEqual([['MS001', 6, 'cannot parse: Map keys must be unique']]);
    expect(asJson.documents).toEqual(asYaml.documents);
  });

  it('refuses a repeated key without walking into what the kept value\'s prototype lends', () => {
    // The kept 0 or {} has a `constructor` (Number, Object), whose `caller` throws when read.
    for (const text of ['{"a": {"constructor": {"caller": {}}}, "a": 0}', '{"a": {"toString": {"arguments": []}}, "a": {}}', '{"a": {"x": {"y": []}}, "a": null}']) {
      expect(parseSource(text, 'x.json').findings.map((f) => [f.code, f.line])).toEqual([['MS001', 1]]);
    }
  });

  it('refuses a key written 30,000 times before a value of 30,000 entries at its first repeat (walking each had cost 16 s, 7 GB)', () => {
    const size = 30_000;
    const many = Array.from({ length: size }, (_, index) => index);
    for (const [earlier, last] of [['[]', `[\n${many.join(',\n')}]`], ['{"x": 1}', `{\n${many.map((index) => `"k${index}": ${index}`).join(',\n')}}`]]) {
      const text = `{"a": ${Array.from({ length: size }, () => `${earlier}, "a": `).join('')}${last}}`;
      expect(parseSource(text, 'x.json').findings.map((f) => [f.code, f.line])).toEqual([['MS001', 1]]);
    }
  });

  it('falls back to the YAML parser for broken JSON, which names the line', () => {
    const source = parseSource('{\n  "kind": "VirtualService",\n  "spec": {\n}', 'x.json');
    expect(source.findings.map((f) => [f.code, typeof f.line])).toEqual([['MS001', 'number']]);
  });
});
