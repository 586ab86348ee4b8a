import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ManifestInputError } from '../../src/manifests/errors.js';
import { LIMITS } from '../../src/manifests/limits.js';
import { loadManifests, parseManifests } from '../../src/manifests/load.js';
import { resolveSplits } from '../../src/resolve/resolve.js';
import { ROOT } from '../support/cli.js';

/** The library's reading of manifests: `parseManifests` and `loadManifests` (SPEC §3, §4). */
const FIXTURES = join(ROOT, 'test/fixtures/cli');
const fixture = (name: string) => join(FIXTURES, name);

const VS = (name: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
${extra}spec:
  hosts:
  - ${name}
  http:
  - route:
    - destination:
        host: ${name}-v1
      weight: 60
    - destination:
        host: ${name}-v2
      weight: 40
`;

function summary(loaded: ReturnType<typeof parseManifests>) {
  return loaded.objects.map((o) => `${o.kind} ${o.namespace}/${o.name} ${o.file}:${o.line}`);
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mesh-split-load-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('parseManifests', () => {
  test('multi-document YAML: one object per document, the line of each, unknown kinds skipped', async () => {
    const loaded = parseManifests(await readFile(fixture('split.yaml'), 'utf8'), 'split.yaml');
    expect(loaded.findings).toEqual([]);
    expect(loaded.sources).toEqual(['split.yaml']);
    expect(summary(loaded)).toEqual([
      'Service bookinfo/reviews split.yaml:2',
      'DestinationRule bookinfo/reviews split.yaml:11',
      'VirtualService bookinfo/reviews split.yaml:33',
    ]);
    const vs = loaded.objects[2]!;
    const route = (vs.body.spec as { http: { route: { weight: number }[] }[] }).http[0]!.route;
    expect(vs.positions.lineOf(route[0], 'weight')).toBe(46);
    expect(vs.positions.lineOf(route[1], 'weight')).toBe(50);
  });

  test('JSON is read as JSON, with lines', async () => {
    const loaded = parseManifests(await readFile(fixture('split.json'), 'utf8'), 'split.json', 'ratings-team');
    expect(summary(loaded)).toEqual(['VirtualService ratings-team/ratings split.json:1']);
    const { splits, findings } = resolveSplits(loaded);
    expect(findings).toEqual([]);
    expect(splits[0]?.destinations.map((d) => [d.host, d.declaredPercent, d.line])).toEqual([
      ['ratings-v1.ratings-team.svc.cluster.local', 90, 14],
      ['ratings-v2.default.svc.cluster.local', 10, 18],
    ]);
  });

  test('kind: List (YAML and JSON) is unwrapped; lines stay those of the file', async () => {
    for (const [name, vsLine, weightLines] of [
      ['list.yaml', 3, [16, 20]],
      ['list.json', 4, [23, 30]],
    ] as const) {
      const loaded = parseManifests(await readFile(fixture(name), 'utf8'), name);
      expect(loaded.findings, name).toEqual([]);
      expect(loaded.objects.map((o) => o.kind), name).toEqual(['VirtualService', 'DestinationRule', 'Service']);
      const { splits } = resolveSplits(loaded);
      expect(splits[0]?.virtualService.line, name).toBe(vsLine);
      expect(splits[0]?.destinations.map((d) => d.line), name).toEqual(weightLines);
      expect(splits[0]?.destinations.map((d) => d.version), name).toEqual(['v1', 'v2']);
    }
  });

  test('typed lists (VirtualServiceList) are unwrapped too', () => {
    const text = `apiVersion: networking.istio.io/v1\nkind: VirtualServiceList\nitems:\n- ${VS('a').trimEnd().split('\n').join('\n  ')}\n`;
    const loaded = parseManifests(text, 'typed.yaml');
    expect(loaded.findings).toEqual([]);
    expect(summary(loaded)).toEqual(['VirtualService default/a typed.yaml:4']);
  });

  test('the namespace: metadata.namespace, else the default given, else "default"', () => {
    const text = `${VS('a')}---\n${VS('b', '  namespace: team-b\n')}`;
    expect(summary(parseManifests(text, 'f.yaml'))).toEqual(['VirtualService default/a f.yaml:1', 'VirtualService team-b/b f.yaml:17']);
    expect(summary(parseManifests(text, 'f.yaml', 'team-x'))).toEqual(['VirtualService team-x/a f.yaml:1', 'VirtualService team-b/b f.yaml:17']);
  });

  test('an object of ours with another API group is not ours', () => {
    const text = 'apiVersion: v1\nkind: VirtualService\nmetadata: {name: a}\n---\napiVersion: example.com/v1\nkind: Service\nmetadata: {name: b}\n';
    expect(parseManifests(text, 'f.yaml')).toEqual({ objects: [], findings: [], sources: ['f.yaml'] });
  });

  test('empty input, comments only, and empty documents yield nothing', () => {
    for (const text of ['', '\n\n', '# just a comment\n', '---\n---\n', 'null\n', '[]\n', '{}\n', '42\n']) {
      expect(parseManifests(text, 'f.yaml'), JSON.stringify(text)).toEqual({ objects: [], findings: [], sources: ['f.yaml'] });
    }
  });

  test('a missing name or a bad namespace is MS003 at its line', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  namespace: x\nspec: {}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: 7\n';
    const loaded = parseManifests(text, 'f.yaml');
    expect(loaded.objects).toEqual([]);
    expect(loaded.findings.map((f) => [f.code, f.level, f.file, f.line])).toEqual([
      ['MS003', 'error', 'f.yaml', 3],
      ['MS003', 'error', 'f.yaml', 11],
    ]);
  });

  test('malformed YAML: MS001 at the line, the other documents still read', async () => {
    const malformed = await readFile(fixture('malformed.yaml'), 'utf8');
    const loaded = parseManifests(`${VS('good')}---\n${malformed}`, 'f.yaml');
    expect(summary(loaded)).toEqual(['VirtualService default/good f.yaml:1']);
    expect(loaded.findings).toEqual([
      expect.objectContaining({ code: 'MS001', level: 'error', file: 'f.yaml', line: 16 + 12, object: null }),
    ]);
    expect(loaded.findings[0]?.message).toMatch(/^cannot parse: /);
    expect(loaded.findings[0]?.message).not.toContain('\n');
  });

  test('a key twice in one mapping is MS001 (kubectl refuses it too)', () => {
    const loaded = parseManifests('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n', 'f.yaml');
    expect(loaded.objects).toEqual([]);
    expect(loaded.findings.map((f) => [f.code, f.line])).toEqual([['MS001', 5]]);
  });

  test('a repeated key is found as the yaml package finds it (its uniqueKeys rule), at the same line', () => {
    type Tree = { pairs: [string, Tree][] } | { items: Tree[] } | string;
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom('x', '1', '[a, a]', '{a: 1, a: 2}', '"open'),
        fc.record({ pairs: fc.array(fc.tuple(fc.constantFrom('a', '"a"', "'a'", 'b', '1', '"1"', '~', 'null', '""', '{a: 1}'), tie('tree')), { minLength: 1, maxLength: 4 }) }),
        fc.record({ items: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
      ),
    })).tree;
    const write = (node: Tree, indent: string): string =>
      typeof node === 'string'
        ? ` ${node}\n`
        : 'pairs' in node
          ? `\n${node.pairs.map(([key, value]) => `${indent}${key.startsWith('{') ? `? ${key}\n${indent}:` : `${key}:`}${write(value, `${indent}  `)}`).join('')}`
          : `\n${node.items.map((item) => `${indent}-${write(item, `${indent}  `)}`).join('')}`;
    const found = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.record({ pairs: fc.array(fc.tuple(fc.constantFrom('a', 'b', '1', '"1"', '~', 'null'), tree), { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 2 }), (documents) => {
        const text = documents.map((document) => write(document, '').slice(1)).join('---\n');
        const lineCounter = new LineCounter();
        const expected = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
          .map((document) => document.errors[0])
          .filter((error) => error !== undefined)
          .map((error) => ['MS001', lineCounter.linePos(error.pos[0]).line, error.message.split('\n')[0]]);
        const loaded = parseManifests(text, 'f.yaml');
        expect(loaded.findings.map((f) => [f.code, f.line, f.message.replace(/^cannot parse: /, '')])).toEqual(expected);
        found.add(expected.map((error) => error[2]).join());
      }),
      { numRuns: 500 },
    );
    // The inputs held repeats, other errors, and both.
    expect([...found].some((messages) => messages.includes('Map keys must be unique'))).toBe(true);
    expect([...found].some((messages) => messages.includes('Missing closing "quote'))).toBe(true);
  });

  test('a broken mapping of 50,000 keys is refused at its error in one pass (the package\'s own repeat check is quadratic)', () => {
    const keys = Array.from({ length: 50_000 }, (_, index) => `k${index}: ${index}`);
    for (const [text, line] of [
      [`m:\n  ${keys.join('\n  ')}\n  k7: again\n`, 50_002],
      [`{\n${keys.map((key) => `"${key.replace(':', '":')},`).join('\n')}\n`, 50_002],
    ] as const) {
      const loaded = parseManifests(text, 'f.yaml');
      expect(loaded.findings.map((f) => [f.code, f.line])).toEqual([['MS001', line]]);
    }
  });

  test('YAML over LIMITS.slowYamlBytes that the block reader steps aside from is refused (MS002) before it is parsed', () => {
    const item = '- {name: a, value: 1}\n';
    const items = item.repeat(Math.ceil(LIMITS.slowYamlBytes / item.length) + 1);
    for (const text of [`%YAML 1.2\n---\nitems:\n${items}`, `items:\n${items}`]) {
      const loaded = parseManifests(text, 'big.yaml');
      expect(loaded.findings.map((f) => [f.code, f.line])).toEqual([['MS002', 1]]);
      expect(loaded.findings[0]?.message).toContain('is read only in the block style');
    }
    // The block style is read at any size up to the input limit.
    const block = '- name: a\n  value: 1\n';
    const loaded = parseManifests(`items:\n${block.repeat(Math.ceil(LIMITS.slowYamlBytes / block.length) + 1)}`, 'big.yaml');
    expect(loaded.findings).toEqual([]);
  });

  test('broken JSON too big for the careful path is told as JSON.parse tells it, at its line (a truncated kubectl -o json)', () => {
    const item = '    {\n        "kind": "Service",\n        "metadata": {"name": "a"}\n    },\n';
    const items = item.repeat(Math.ceil(LIMITS.carefulYamlBytes / item.length) + 1);
    const whole = `{\n    "items": [\n${items}    {}\n    ]\n}\n`;
    expect(parseManifests(whole, 'list.json').findings).toEqual([]);
    const lines = (text: string) => text.split('\n').length;
    const found = (text: string) => parseManifests(text, 'list.json').findings.map((f) => [f.code, f.line, f.message]);
    // Cut inside a string: V8 gives the position.
    const inString = whole.slice(0, whole.lastIndexOf('"name": "a"') + '"name": "'.length);
    expect(found(inString)).toEqual([['MS001', lines(inString), 'cannot parse: Unterminated string in JSON']]);
    // Cut after a colon: "Unexpected end of JSON input", no position: the last line.
    const afterColon = whole.slice(0, whole.lastIndexOf('"name":') + '"name":'.length);
    expect(found(afterColon)).toEqual([['MS001', lines(afterColon), 'cannot parse: Unexpected end of JSON input']]);
    // A bad token (bad YAML too: `tru` alone would be a YAML string): V8 quotes the text around
    // it instead of a position, which is looked up.
    const token = whole.replace('    {}\n', '    {"a": @x}\n');
    expect(found(token)[0]?.slice(0, 2)).toEqual(['MS001', lines(token.slice(0, token.indexOf('@x')))]);
    expect(found(token)[0]?.[2]).toMatch(/^cannot parse: Unexpected token '@'/);
  });

  test('valid YAML over LIMITS.carefulYamlBytes that both fast readers step aside from is refused (MS002), not parsed', () => {
    // Lone CRs as line breaks: the `yaml` package alone reads them.
    const text = `items:\r${'- a\r'.repeat(Math.ceil(LIMITS.carefulYamlBytes / 4) + 1)}`;
    const loaded = parseManifests(text, 'old-mac.yaml');
    expect(loaded.findings.map((f) => [f.code, f.line])).toEqual([['MS002', 1]]);
    expect(loaded.findings[0]?.message).toBe('YAML over 2 MiB is read only by the fast readers; this has something they do not take (a lone CR line break, or a construct they do not mirror exactly) and was refused: split it');
  });

  test('YAML between the two limits that only js-yaml reads is read; broken, js-yaml\'s error is told at its line', () => {
    // Flow collections with content send the text past the block reader (valid Helm output can hold them).
    const item = '- {kind: Service, metadata: {name: a}, spec: {ports: [{port: 80}]}}\n';
    const valid = `items:\n${item.repeat(Math.ceil(LIMITS.carefulYamlBytes / item.length) + 1)}`;
    expect(valid.length).toBeLessThan(LIMITS.slowYamlBytes);
    expect(parseManifests(valid, 'big.yaml').findings).toEqual([]);
    const broken = `${valid}bad: [\n`;
    expect(parseManifests(broken, 'big.yaml').findings.map((f) => [f.code, f.line])).toEqual([['MS001', broken.split('\n').length]]);
  });

  test('more mappings and sequences than LIMITS.containers in one input are refused (MS002), in JSON and in YAML', () => {
    const over = LIMITS.containers + 1;
    for (const [text, file] of [
      [`[${'[],'.repeat(over)}[]]`, 'many.json'],
      [`a:\n${'- {}\n'.repeat(over)}`, 'many.yaml'],
    ] as const) {
      const loaded = parseManifests(text, file);
      expect(loaded.findings.map((f) => [f.code, f.line, f.message])).toEqual([['MS002', 1, expect.stringContaining('mappings and sequences in one input refused')]]);
    }
  }, 60_000);

  test('anchors, aliases and merge keys as people use them work (within a document)', () => {
    const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: a
spec:
  hosts: [a]
  http:
  - name: canary
    match: [{headers: {x-canary: {exact: "1"}}}]
    route: &split
    - destination: {host: a-v1}
      weight: 50
    - destination: {host: a-v2}
      weight: 50
  - route: *split
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  <<: {name: a-dr, namespace: other}
  labels: {team: yellow}
spec:
  host: a
`;
    const loaded = parseManifests(text, 'f.yaml');
    expect(loaded.findings).toEqual([]);
    expect(summary(loaded)).toEqual(['VirtualService default/a f.yaml:1', 'DestinationRule other/a-dr f.yaml:17']);
    const { splits } = resolveSplits(loaded);
    expect(splits.map((s) => s.destinations.map((d) => [d.declaredPercent, d.line]))).toEqual([
      [[50, 12], [50, 14]],
      [[50, 12], [50, 14]],
    ]);
  });

  test('anchors do not carry over to the next document (YAML 1.2): a parse error', () => {
    const loaded = parseManifests('a: &x 1\n---\nb: *x\n', 'f.yaml');
    expect(loaded.findings.map((f) => [f.code, f.line])).toEqual([['MS001', 3]]);
  });

  test('an alias to an anchor that does not exist is a finding, not a crash', () => {
    const loaded = parseManifests('a: *nowhere\n', 'f.yaml');
    expect(loaded.objects).toEqual([]);
    expect(loaded.findings.map((f) => f.code)).toHaveLength(1);
    expect(['MS001', 'MS002']).toContain(loaded.findings[0]?.code);
  });

  test('a billion-laughs alias bomb is refused with MS002, quickly', () => {
    const levels = 'abcdefghi';
    const lines = [`a: &a [${Array(9).fill('"lol"').join(', ')}]`];
    for (let level = 1; level < 9; level++) lines.push(`${levels[level]}: &${levels[level]} [${Array(9).fill(`*${levels[level - 1]}`).join(', ')}]`);
    const text = `${lines.join('\n')}\n---\n${VS('after-the-bomb')}`;
    const started = performance.now();
    const loaded = parseManifests(text, 'bomb.yaml');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(loaded.findings).toEqual([expect.objectContaining({ code: 'MS002', level: 'error', file: 'bomb.yaml', line: 1 })]);
    // The bomb's document is refused; the next document is still read.
    expect(summary(loaded)).toEqual(['VirtualService default/after-the-bomb bomb.yaml:11']);
  });

  test('many aliases to one big anchor (quadratic expansion) are refused with MS002', () => {
    const text = `big: &big {${Array.from({ length: 2_000 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n${Array.from({ length: 1_000 }, (_, i) => `u${i}: *big`).join('\n')}\n`;
    const started = performance.now();
    const loaded = parseManifests(text, 'q.yaml');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(loaded.findings.map((f) => f.code)).toEqual(['MS002']);
  });

  test('nesting beyond the limit is MS002; absurd nesting is MS001/MS002; nothing throws', () => {
    const moderate = parseManifests(`${'['.repeat(250)}${']'.repeat(250)}`, 'f.json');
    expect(moderate.findings).toEqual([expect.objectContaining({ code: 'MS002', file: 'f.json', line: 1 })]);
    expect(moderate.findings[0]?.message).toMatch(/nest/);

    const fine = parseManifests(`${'['.repeat(150)}${']'.repeat(150)}`, 'f.json');
    expect(fine.findings).toEqual([]);

    for (const text of ['['.repeat(100_000), `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, '- '.repeat(50_000)]) {
      const started = performance.now();
      const loaded = parseManifests(text, 'deep.yaml');
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(loaded.findings).toHaveLength(1);
      expect(['MS001', 'MS002']).toContain(loaded.findings[0]?.code);
    }
  });

  test('__proto__ keys stay data and pollute nothing', async () => {
    const text = await readFile(fixture('proto.yaml'), 'utf8');
    const json = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"p","__proto__":{"polluted":"json"}},"__proto__":{"isAdmin":true}}';
    const loaded = [parseManifests(text, 'proto.yaml'), parseManifests(json, 'proto.json')];
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const [vs, service] = [loaded[0]!.objects[0]!, loaded[1]!.objects[0]!];
    for (const node of [vs.body, vs.body.metadata, vs.body.spec, service.body, service.body.metadata]) {
      expect(Object.getPrototypeOf(node)).toBe(Object.prototype);
    }
    expect(Object.hasOwn(vs.body.metadata as object, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(vs.body.metadata, '__proto__')?.value).toEqual({ polluted: 'indeed' });
    expect(Object.hasOwn(service.body, '__proto__')).toBe(true);
    expect((service.body as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(resolveSplits(loaded[0]!).splits[0]?.destinations[0]?.declaredPercent).toBe(100);
  });

  // Each of these is valid YAML; none may crash the loader (the CLI turns a throw into exit 70).
  test.each([
    { name: 'a flow mapping with implicit null values ({app, version})', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: {app, version}}\n' },
    { name: 'an explicit key without a value (? key)', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    ? note\n' },
    { name: 'a complex key whose toString is not a function', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n? {toString: 1}\n: x\n' },
  ])('valid YAML never throws: $name', ({ text }) => {
    let loaded: ReturnType<typeof parseManifests> | undefined;
    expect(() => {
      loaded = parseManifests(text, 'f.yaml');
    }).not.toThrow();
    expect(loaded?.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(summary(loaded!)).toEqual(['Service default/s f.yaml:1']);
  });
});

describe('loadManifests', () => {
  test('a merge key over 150,000 inline mappings is read, not a crash', () => {
    const sources = Array.from({ length: 150_000 }, (_, index) => `{k${index}: 1}`).join(', ');
    const loaded = parseManifests(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels:\n    <<: [${sources}]\n`, 'x.yaml');
    expect(loaded.findings).toEqual([]);
    expect(Object.keys((loaded.objects[0]!.body as { metadata: { labels: object } }).metadata.labels)).toHaveLength(150_000);
  });

  test('a List of 150,000 objects and 150,000 findings loads (more than a spread of arguments can hold)', async () => {
    const items = Array.from({ length: 300_000 }, (_, index) =>
      index % 2 === 0 ? { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${index}` } } : { apiVersion: 'v1', kind: 'Service', metadata: {} },
    );
    const loaded = await loadManifests({ filenames: ['-'], stdin: Readable.from([JSON.stringify({ apiVersion: 'v1', kind: 'List', items })]) });
    expect(loaded.objects).toHaveLength(150_000);
    expect(loaded.findings.filter((item) => item.code === 'MS003')).toHaveLength(150_000);
  });

  test('files and directories: recursive, in name order, manifest extensions only', async () => {
    const loaded = await loadManifests({ filenames: [fixture('tree')] });
    expect(loaded.sources).toEqual([
      fixture('tree/nested/deeper/virtual-service.yml'),
      fixture('tree/nested/destination-rule.json'),
      fixture('tree/service.yaml'),
    ]);
    expect(loaded.findings).toEqual([]);
    expect(loaded.objects.map((o) => o.kind)).toEqual(['VirtualService', 'DestinationRule', 'Service']);
  });

  test('a file named twice, or also inside a named directory, is read once', async () => {
    const loaded = await loadManifests({ filenames: [fixture('tree/service.yaml'), fixture('tree'), fixture('tree/service.yaml')] });
    expect(loaded.sources).toHaveLength(3);
    expect(loaded.findings).toEqual([]);
  });

  test('a symbolic link looping back to its directory is followed once', async () => {
    const dir = join(scratch, 'loop');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'vs.yaml'), VS('loop'));
    await symlink(dir, join(dir, 'again'));
    const loaded = await loadManifests({ filenames: [dir] });
    expect(loaded.objects.map((o) => o.name)).toEqual(['loop']);
    expect(loaded.findings).toEqual([]);
  });

  test('file and directory names that are not UTF-8 are read by their bytes, shown with \\xNN escapes', async () => {
    const dir = join(scratch, 'latin1');
    await mkdir(dir);
    const bytes = (name: string) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name, 'latin1')]);
    await writeFile(bytes('caf\xe9.yaml'), VS('cafe'));
    // Two names that decode alike are still two files.
    await writeFile(bytes('caf\xe8.yaml'), VS('cafe2'));
    await mkdir(bytes('d\xff'));
    await writeFile(Buffer.concat([bytes('d\xff'), Buffer.from('/vs.yaml')]), VS('deep'));
    const loaded = await loadManifests({ filenames: [dir] });
    expect(loaded.findings).toEqual([]);
    expect(loaded.objects.map((o) => [o.name, o.file])).toEqual([
      ['cafe2', join(dir, 'caf\\xe8.yaml')],
      ['cafe', join(dir, 'caf\\xe9.yaml')],
      ['deep', join(dir, 'd\\xff', 'vs.yaml')],
    ]);
  });

  test('the same object in two files: MS005 on the later one, which wins', async () => {
    const loaded = await loadManifests({ filenames: [fixture('dup')] });
    expect(loaded.objects).toHaveLength(1);
    expect(loaded.objects[0]?.file).toBe(fixture('dup/two.yaml'));
    expect(loaded.findings).toEqual([
      {
        code: 'MS005',
        level: 'warning',
        object: 'VirtualService default/details',
        file: fixture('dup/two.yaml'),
        line: 2,
        message: expect.stringContaining(`first at ${fixture('dup/one.yaml')}:1`),
      },
    ]);
  });

  test('stdin: a kind: List, in chunks that split a multi-byte character', async () => {
    const text = `# réseau — ünïcode\n${await readFile(fixture('list.yaml'), 'utf8')}`;
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 4), bytes.subarray(4, 100), bytes.subarray(100)];
    const loaded = await loadManifests({ filenames: ['-'], stdin: Readable.from(chunks) });
    expect(loaded.sources).toEqual(['<stdin>']);
    expect(loaded.findings).toEqual([]);
    const { splits } = resolveSplits(loaded);
    expect(splits[0]?.virtualService).toMatchObject({ file: '<stdin>', line: 4 });
    expect(splits[0]?.destinations.map((d) => d.line)).toEqual([17, 21]);
  });

  test('stdin named twice is read once; files and stdin mix', async () => {
    const loaded = await loadManifests({
      filenames: ['-', fixture('split.json'), '-'],
      stdin: Readable.from([await readFile(fixture('list.json'), 'utf8')]),
    });
    expect(loaded.sources).toEqual(['<stdin>', fixture('split.json')]);
    expect(loaded.objects.map((o) => `${o.kind}@${o.file}`)).toEqual([
      'VirtualService@<stdin>',
      'DestinationRule@<stdin>',
      'Service@<stdin>',
      `VirtualService@${fixture('split.json')}`,
    ]);
  });

  test('input errors throw ManifestInputError with a one-line message', async () => {
    // A directory holding a link to nothing: that file is named, not an internal error.
    const dangling = join(scratch, 'dangling');
    await mkdir(dangling);
    await symlink(join(scratch, 'nowhere.yaml'), join(dangling, 'broken.yaml'));
    const cases: [Parameters<typeof loadManifests>[0], RegExp][] = [
      [{ filenames: [join(scratch, 'missing.yaml')] }, /does not exist/],
      [{ filenames: [dangling] }, /broken\.yaml" does not exist \(a symbolic link to nothing\)/],
      [{ filenames: ['-'] }, /standard input/],
      [{ kube: { kubectl: join(scratch, 'no-kubectl-here') } }, /kubectl not found/],
    ];
    for (const [options, message] of cases) {
      const error = await loadManifests(options).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ManifestInputError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  test('nothing to read is not an error of loading (the resolver says MS004)', async () => {
    const loaded = await loadManifests({});
    expect(loaded).toEqual({ objects: [], findings: [], sources: [] });
    expect(resolveSplits(loaded).findings.map((f) => f.code)).toEqual(['MS004']);
  });
});
