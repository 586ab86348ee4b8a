import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify, type ToStringOptions } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/manifests/parse.js';
import { PositionIndex } from '../../src/manifests/positions.js';
import { parseYamlWithPositions } from '../../src/manifests/yaml-events.js';
import { KubernetesReadings } from '../../src/manifests/yaml-1-1.js';
import { ROOT } from '../support/cli.js';
import { expectAgreement as agree, readWith, tree } from '../support/yaml-agreement.js';

/** The documents, or null where the path steps aside (a syntax error included: the careful path tells it). */
const documentsOf = (text: string, positions: PositionIndex, readings = new KubernetesReadings()) => {
  const read = parseYamlWithPositions(text, positions, readings);
  return Array.isArray(read) ? read : null;
};
const fast = (text: string) => readWith(documentsOf, text);
const expectAgreement = (text: string, mustBeFast = false) => agree(documentsOf, text, mustBeFast);

describe('YAML fast path (js-yaml events)', () => {
  it('agrees with the yaml package on values and every line, in every style the yaml package prints', () => {
    let runs = 0;
    let answered = 0;
    fc.assert(
      fc.property(
        fc.array(tree, { minLength: 1, maxLength: 3 }),
        fc.record({
          indentSeq: fc.boolean(),
          collectionStyle: fc.constantFrom('any', 'flow') as fc.Arbitrary<'any' | 'flow'>,
          lineWidth: fc.constantFrom(0, 20, 80),
          defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED') as fc.Arbitrary<NonNullable<ToStringOptions['defaultStringType']>>,
        }),
        fc.boolean(),
        (documents, options, comment) => {
          runs += 1;
          const text = documents.map((document) => `${comment ? '# note\n' : ''}---\n${stringify(document, options)}`).join('');
          if (expectAgreement(text)) answered += 1;
        },
      ),
      { numRuns: 300 },
    );
    // Stepping aside is always safe, so the property alone could pass with a useless fast path.
    expect(answered / runs).toBeGreaterThan(0.6);
  });

  it('reads 500,000 flow items on one line in one pass over it, every item on line 1 and the next key on line 2', () => {
    const positions = new PositionIndex();
    const documents = documentsOf(`a: [${'0,'.repeat(500_000)}0]\nb: [1,\n 2]\n`, positions);
    expect(documents).not.toBeNull();
    const value = documents![0]!.value as { a: number[]; b: number[] };
    expect(value.a).toHaveLength(500_001);
    expect([positions.lineOf(value.a, 0), positions.lineOf(value.a, 500_000), positions.lineOf(value, 'b'), positions.lineOf(value.b, 0), positions.lineOf(value.b, 1)]).toEqual([1, 1, 2, 2, 3]);
  });

  it('resolves plain scalars (numbers, booleans, nulls, look-alikes) as the yaml package does', () => {
    const token = fc.oneof(
      fc.stringMatching(/^[-+]?[0-9._eExXoO+-]{1,8}$/),
      fc.stringMatching(/^[-+]?\.?(inf|Inf|INF|nan|NaN|NAN|iNf)$/),
      fc.constantFrom('~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'no', 'y', '0x', '0o8', '0xG', '-', '+', '.', '00', '-0', '+0x1'),
    );
    let runs = 0;
    let answered = 0;
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 6 }), (tokens) => {
        runs += 1;
        if (expectAgreement(`${tokens.map((t, i) => `k${i}: ${t}`).join('\n')}\nlist: [${tokens.join(', ')}]\n${tokens[0]}: as a key\n`)) answered += 1;
      }),
      { numRuns: 300 },
    );
    expect(answered / runs).toBeGreaterThan(0.6);
  });

  it('takes the fast path for kubectl-style manifests and the shipped examples', () => {
    const kubectl = stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'hello', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}\n' } }, spec: { hosts: ['hello'], http: [{ route: [{ destination: { host: 'hello', subset: 'v1' }, weight: 70 }] }] } }],
    });
    expectAgreement(kubectl, true);
    const examples = join(ROOT, 'examples');
    for (const directory of readdirSync(examples)) {
      for (const file of readdirSync(join(examples, directory)).filter((name) => name.endsWith('.yaml'))) {
        expectAgreement(readFileSync(join(examples, directory, file), 'utf8'), true);
      }
    }
  });

  it('agrees on anchors, merge keys, block scalars, tags, comments and empty documents', () => {
    const cases = [
      'base: &b\n  host: a\n  port: 1\nroute:\n  <<: *b\n  port: 2\n',
      'a: &x [1, 2]\nb: *x\nc:\n  - *x\n  - &y {k: v}\n  - *y\n',
      'defaults: &d {retries: 3}\nextra: &e {timeout: 1s}\nvs:\n  <<: [*d, *e]\n  retries: 5\n',
      'items:\n  - |\n    literal\n  - >-\n    folded\n    text\n  - !!str 42\n  - "quoted"\n',
      '---\n---\n# only a comment\n---\nkind: A\n...\n---\n- 1\n',
      'k: !!str 1\nm: !!map {a: 1}\ns: !!seq [1]\n',
      '1.0: float key\n~: null key\n0x1F: hex key\ntrue: yes\n',
      'n: [~, null, Null, NULL, true, False, 0o17, 0x1f, -12, +3, 1.5, .5, 1e3, -.inf, .NaN, 1_000, 0b1, yes, on]\n',
      'a:\n\n\n  b:\n    # c\n    - x\n\n    - y\n',
      'anchored: &s scalar\nagain: *s\n',
      '---\n|-\n  |\n---\n- >\n  > quoted\n',
    ];
    for (const text of cases) expectAgreement(text, true);
  });

  it('agrees or steps aside on documents stitched from anchors, merges, tags, directives and empty nodes', () => {
    const fragment = fc.constantFrom(
      'a: &A {x: 1, y: 2}',
      'b: *A',
      'c:\n  <<: *A\n  y: 3',
      'd:\n  <<: [*A, *B]',
      'l: &L [*A]',
      'm:\n  <<: *L',
      'n:\n  <<: *A\n  <<: *B',
      'o: &B\n  z: 9',
      'p:\n  -\n  - 1\n  - &E\n  - *E',
      'q: !!str 5',
      'r: !!map {k: v}',
      's: !custom x',
      't: |\n  text\n  more',
      'u: >-\n  folded',
      'v: ~',
      'w: [*A, *A]',
      '? complex\n: value',
      ': empty key',
      '"1": one',
      '1: uno',
      'x: "\\u00e9 \\t"',
      '%YAML 1.1\n---',
      '---',
      '...',
      '# comment',
    );
    let answered = 0;
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 8 }), fc.boolean(), (fragments, crlf) => {
        const text = `${fragments.join('\n')}\n`;
        if (expectAgreement(crlf ? text.replace(/\n/g, '\r\n') : text)) answered += 1;
      }),
      { numRuns: 400 },
    );
    // Most stitched documents hold something the fast path leaves alone; enough do not (~15 %).
    expect(answered).toBeGreaterThan(20);
  });

  it('steps aside where the two parsers differ (found in review), so findings and values stay the careful ones', () => {
    const cases = [
      'spec:\n  route:\n  - {a: 1}\n  -\n  - {b: 2}\n',
      'a: 1\nb: 2\n: v\n',
      'base: &b {x: 1}\nl: &l [*b]\nm:\n  <<: *l\n',
      'a: &a {x: 1}\nb: &b {y: 2}\nm:\n  <<: *a\n  <<: *b\n',
      '%YAML 1.1\n---\na: yes\nb: 0777\nc: 1_000\n',
      '!!str |2-\n   x\n',
      'a: 1\rb: 2\r',
      `${'k'.repeat(1100)}: long key\n`,
      's: "\\U00110000"\n',
    ];
    for (const text of cases) expectAgreement(text);
    // Merge sequences count towards the alias limit, as on the careful path: still refused.
    const entries = Array.from({ length: 100 }, (_, i) => `  k${i}: {<<: [*z]}`).join('\n');
    const bomb = `z: &z {a: 1}\nbig: &big\n${entries}\nall:\n${Array.from({ length: 400 }, () => '  - *big').join('\n')}\n`;
    expect(parseSource(bomb, 'x.yaml').findings.map((f) => f.code)).toContain('MS002');
    // A repeated JSON key is refused at its second line, as in YAML.
    const json = parseSource('{\n "weight": 10,\n "weight": 90\n}', 'x.json');
    expect(json.findings.map((f) => [f.code, f.line])).toEqual([['MS001', 3]]);
  });

  it('steps aside for what it does not mirror; parseSource still answers with findings', () => {
    const cases = [
      'a: 1\na: 2\n', // duplicate key: the yaml package names the line
      '? [a, b]\n: complex key\n',
      'x: *nowhere\n',
      'x: !custom tag\n',
      'self: &a [*a]\n',
      'a: [1, 2\n',
      'merge:\n  <<: {inline: true}\n',
    ];
    for (const text of cases) {
      expect(fast(text), text).toBeNull();
      const source = parseSource(text, 'x.yaml');
      expect(source.findings.every((f) => typeof f.line === 'number' && f.line >= 1)).toBe(true);
    }
    expect(parseSource('a: 1\na: 2\n', 'x.yaml').findings.map((f) => f.code)).toEqual(['MS001']);
  });
});
