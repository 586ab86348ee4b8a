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

  it('keeps each key\'s line where Object.keys reorders keys: integer-like, repeated and merged keys', () => {
    // Object.keys puts "10" and "2" before "b"; a repeated JSON key keeps its first place but its last value.
    const json = parseSource('{\n  "b": 1,\n  "10": 2,\n  "2": 3,\n  "b": 4\n}', 'x.json');
    const map = json.documents[0]!.value as object;
    expect([json.positions.lineOf(map, 'b'), json.positions.lineOf(map, '10'), json.positions.lineOf(map, 2)]).toEqual([5, 3, 4]);
    const yaml = parseSource('base: &base\n  x: 1\n  "7": 2\nitem:\n  <<: *base\n  y: 3\n  "3": 4\n', 'x.yaml');
    const item = (yaml.documents[0]!.value as { item: object }).item;
    expect(Object.keys(item)).toEqual(['3', '7', 'y', 'x']);
    // An unknown key gives the mapping's own line.
    expect(['3', '7', 'y', 'x', 'missing'].map((key) => yaml.positions.lineOf(item, key))).toEqual([7, 3, 6, 2, 5]);
    const sequence = parseSource('- a\n-\n  - b\n', 'x.yaml');
    const list = sequence.documents[0]!.value as unknown[];
    expect([0, 1, 2].map((index) => sequence.positions.lineOf(list, index))).toEqual([1, 3, 1]);
  });

  it('gives every key of a mapping with 20,000 keys its line, in YAML and JSON (a repeated JSON key its last)', () => {
    const keys = Array.from({ length: 20_000 }, (_, index) => `k${index}`);
    const yaml = parseSource(`m:\n${keys.map((key) => `  ${key}: 1\n`).join('')}`, 'x.yaml');
    const json = parseSource(`{"m": {\n${keys.map((key) => `"${key}": 1,\n`).join('')}"k7": 2\n}}`, 'x.json');
    for (const [source, repeated] of [[yaml, false], [json, true]] as const) {
      const map = (source.documents[0]!.value as { m: object }).m;
      const expected = (key: string, index: number) => (repeated && key === 'k7' ? 2 + keys.length : 2 + index);
      expect(keys.every((key, index) => source.positions.lineOf(map, key) === expected(key, index))).toBe(true);
    }
  });

  it('falls back to the YAML parser for broken JSON, which names the line', () => {
    const source = parseSource('{\n  "kind": "VirtualService",\n  "spec": {\n}', 'x.json');
    expect(source.findings.map((f) => [f.code, typeof f.line])).toEqual([['MS001', 'number']]);
  });
});
