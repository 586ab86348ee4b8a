import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { loadManifestsWithKubeReading, parseManifests } from '../../src/manifests/load.js';
import { parseSource } from '../../src/manifests/parse.js';
import { resolvePlain } from '../../src/manifests/yaml-events.js';
import { kubernetesValue, KubernetesReadings, readingFindings } from '../../src/manifests/yaml-1-1.js';

/** kubectl's reading of plain scalars (gopkg.in/yaml.v2 behind sigs.k8s.io/yaml) where YAML 1.2 differs. */
const kubectl = (text: string) => kubernetesValue(text, resolvePlain(text));
/** The findings of a text, as `routes` and `check` report them (MS006 needs the objects). */
const findingsOf = (text: string) => parseManifests(text, 'f.yaml').findings;
/** The lines of the scalars a reader read as kubectl does (before they are placed in objects). */
const readingLines = (text: string) => parseSource(text, 'f.yaml').readings.list().map((reading) => reading.line);

describe('plain scalars kubectl reads otherwise (YAML 1.1, MS006)', () => {
  test.each([
    ['010', 8],
    ['-010', -8],
    ['0777', 511],
    ['0b101', 5],
    ['-0b101', -5],
    ['1_000', 1000],
    ['1_', 1],
    ['1_000.5', 1000.5],
    ['+0x1F', 31],
    ['0X1F', 31],
    ['0O17', 15],
    ['+0o17', 15],
    ['y', true],
    ['Yes', true],
    ['ON', true],
    ['n', false],
    ['no', false],
    ['Off', false],
  ])('%s is %s to kubectl', (text, value) => {
    expect(kubectl(text)).toBe(value);
  });

  test.each(['10', '0', '00', '07', '08', '09', '019', '0x1F', '0o17', '1e3', '010.5', '010e2', '.5', '-1', '+1', 'true', 'False', 'null', '~', 'hello', 'v1', 'nope', 'onion', 'yes please', '.inf', '-.inf', '1:20', '2024-01-01'])(
    '%s reads alike',
    (text) => {
      expect(kubectl(text)).toBeUndefined();
    },
  );

  test('past int64 Go falls back to a float, read alike for decimals', () => {
    expect(kubectl('99999999999999999999')).toBeUndefined();
    // An octal past uint64 is not an integer to Go; its float test reads the digits as decimal.
    expect(kubectl('0777777777777777777777777')).toBeUndefined();
  });

  // The `yaml` package's YAML 1.1 schema is an independent reading of the same rules, for the
  // forms both take (Go also takes 0o and capital prefixes; YAML 1.1 also has base 60).
  test('agrees with the yaml package\'s YAML 1.1 schema on signs, leading zeros, underscores and binary', () => {
    const digits = (alphabet: string) => fc.array(fc.constantFrom(...alphabet), { maxLength: 8 }).map((chars) => chars.join(''));
    const body = fc.oneof(
      // (`0_` alone: the package says NaN, Go 0.)
      fc.tuple(fc.constantFrom(...'01234567'), digits('01234567_')).map(([first, rest]) => `0${first}${rest}`),
      fc.tuple(fc.constantFrom(...'123456789'), digits('0123456789_')).map(([first, rest]) => `${first}${rest}`),
      fc.tuple(fc.constantFrom('0', '1'), digits('01_')).map(([first, rest]) => `0b${first}${rest}`),
    );
    const numberLike = fc.tuple(fc.constantFrom('', '-', '+'), body).map(([sign, rest]) => `${sign}${rest}`);
    fc.assert(
      fc.property(numberLike, (text) => {
        const parsed = parse(text, { version: '1.1' }) as unknown;
        expect(typeof parsed, text).toBe('number');
        // Go has no -0 (`-0b0` is 0 there).
        const yaml11 = parsed === 0 ? 0 : parsed;
        expect(kubectl(text), text).toBe(yaml11 === resolvePlain(text) ? undefined : yaml11);
      }),
      { numRuns: 2000 },
    );
  });

  test('a file gets at most ten MS006 findings and a count of the rest', () => {
    const readings = new KubernetesReadings();
    for (let line = 1; line <= 25; line++) readings.value('y', 'y', line);
    const findings = readingFindings(readings, 'f.yaml', [{ line: 1, object: 'VirtualService default/a' }]);
    expect(findings).toHaveLength(11);
    expect(findings[0]).toMatchObject({ code: 'MS006', level: 'warning', object: 'VirtualService default/a', file: 'f.yaml', line: 1, message: expect.stringMatching(/^"y" is read as true, as kubectl reads it \(a YAML 1\.1 boolean\); YAML 1\.2 reads "y"/) });
    expect(findings[10]).toMatchObject({ line: 11, message: expect.stringMatching(/^15 more plain scalars/) });
  });

  test('every reader takes the value kubectl takes, with the same finding and line', () => {
    const flow = 'a: {w: 010, k: [0b11, on]}\n';
    const block = 'a:\n  w: 010\n  k:\n  - 0b11\n  - on\n';
    const careful = '%YAML 1.2\n---\na:\n  w: 010\n  k:\n  - 0b11\n  - on\n';
    for (const [text, offset] of [[flow, 0], [block, 0], [careful, 2]] as const) {
      const source = parseSource(text, 'f.yaml');
      expect(source.documents[0]?.value, text).toEqual({ a: { w: 8, k: [3, true] } });
      const lines = text === flow ? [1, 1, 1] : [2 + offset, 4 + offset, 5 + offset];
      expect(readingLines(text), text).toEqual(lines);
    }
  });

  test('keys too: `on:` is the key "true" to kubectl', () => {
    const text = 'on: 1\n010: 2\n';
    expect(parseSource(text, 'f.yaml').documents[0]?.value).toEqual({ true: 1, 8: 2 });
    expect(readingLines(text)).toEqual([1, 2]);
  });

  test('keys equal only as kubectl reads them repeat (MS001); keys equal only in YAML 1.2 do not', () => {
    for (const text of ['on: 1\ntrue: 2\n', 'a: {y: 1, true: 2}\n', '%YAML 1.2\n---\n8: 1\n010: 2\n']) {
      const source = parseSource(text, 'f.yaml');
      expect(source.findings.map((found) => [found.code, found.message]), text).toContainEqual(['MS001', 'cannot parse: Map keys must be unique']);
      expect(source.documents, text).toEqual([]);
    }
    // 8 and 10 to kubectl, whichever reader answers (the `%YAML` directive sends it to the careful one).
    for (const text of ['010: a\n10: b\n', '{010: a, 10: b}\n', '%YAML 1.2\n---\n010: a\n10: b\n']) {
      const source = parseSource(text, 'f.yaml');
      expect(source.documents[0]?.value, text).toEqual({ 8: 'a', 10: 'b' });
      expect(readingLines(text), text).toHaveLength(1);
    }
  });

  test('a document that is then refused reports none of its readings', () => {
    const text = 'a: on\nb: *nowhere\n---\nc: off\n';
    expect(parseSource(text, 'f.yaml').findings.map((found) => [found.code, found.line])).toEqual([['MS001', 1]]);
    expect(readingLines(text)).toEqual([4]);
  });

  test('Go\'s integer bounds are exact: 2^64 - 1 is a number, 2^64 a float only where decimal', () => {
    expect(kubectl(`0b${'1'.repeat(64)}`)).toBe(2 ** 64);
    expect(kubectl(`0b1${'0'.repeat(64)}`)).toBeUndefined();
    expect(kubectl('-00')).toBeUndefined();
  });

  test('quoted scalars, tagged scalars and JSON are read as written', () => {
    for (const text of ['a: "010"\nb: \'on\'\n', 'a: !!str 010\nb: !!str on\n', '{"a": "010", "b": "on"}']) {
      const source = parseSource(text, 'f.yaml');
      expect(source.documents[0]?.value, text).toEqual({ a: '010', b: 'on' });
      expect(findingsOf(text), text).toEqual([]);
    }
  });

  test('named after the object they fall in; none inside kinds mesh-split does not read', async () => {
    // A Deployment's file mode and boolean mean what their author meant: no warning for them,
    // however many come before the weight that matters.
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      hostNetwork: yes
      volumes:
${Array.from({ length: 12 }, (_, index) => `      - {name: v${index}, configMap: {name: c, defaultMode: 0644}}`).join('\n')}
`;
    const virtualService = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 070
    - destination: {host: reviews, subset: v2}
      weight: 30
`;
    const text = `${deployment}---\n${virtualService}`;
    const weightLine = text.split('\n').findIndex((line) => line.includes('weight: 070')) + 1;
    expect(findingsOf(text).filter((found) => found.code === 'MS006')).toEqual([
      expect.objectContaining({ object: 'VirtualService shop/reviews', file: 'f.yaml', line: weightLine, message: expect.stringMatching(/^"070" is read as 56/) }),
    ]);
    // In a List, the items are the objects.
    const item = (manifest: string) => manifest.trimEnd().split('\n').map((line, index) => `${index === 0 ? '- ' : '  '}${line}`).join('\n');
    const list = `apiVersion: v1\nkind: List\nitems:\n${item(deployment)}\n${item(virtualService)}\n`;
    const listWeightLine = list.split('\n').findIndex((line) => line.includes('weight: 070')) + 1;
    expect(findingsOf(list).filter((found) => found.code === 'MS006').map((found) => [found.object, found.line])).toEqual([['VirtualService shop/reviews', listWeightLine]]);
    // A List's own keys after its items are its own, not the last item's.
    expect(findingsOf(`${list}metadata: {resourceVersion: 0777}\n`).filter((found) => found.code === 'MS006')).toHaveLength(1);
    // kubectl's output is read with each item's lines re-based; the spans stay in the text's lines.
    const live = (await loadManifestsWithKubeReading({ kube: {} }, { outputs: [list], findings: [] })).findings.filter((found) => found.code === 'MS006');
    expect(live.map((found) => [found.object, found.line])).toEqual([['VirtualService shop/reviews', listWeightLine]]);
    // An object that MS003 rejects keeps the warning that explains why: `name: yes` is a boolean.
    const unnamed = findingsOf(virtualService.replace('name: reviews', 'name: yes'));
    expect(unnamed.map((found) => [found.code, found.object])).toEqual(expect.arrayContaining([['MS003', 'VirtualService (unnamed)'], ['MS006', 'VirtualService (unnamed)']]));
    // Past the readings kept whole, a reading is still placed: none for a ConfigMap's thousands, the weights still named.
    const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata:\n  list:\n${'  - yes\n'.repeat(10_001)}`;
    const crowded = findingsOf(`${configMap}---\n${virtualService}`).filter((found) => found.code === 'MS006');
    expect(crowded.map((found) => found.object)).toEqual(['VirtualService shop/reviews']);
    expect(findingsOf(`${configMap}---\n${virtualService.replace('070', '70')}`).filter((found) => found.code === 'MS006')).toEqual([]);
    // A document without a kind after the VirtualService is not part of it: no warning for its scalar.
    expect(findingsOf(`${virtualService}---\nnotes: 010\n`).filter((found) => found.code === 'MS006').map((found) => found.object)).toEqual(['VirtualService shop/reviews']);
  });
});
