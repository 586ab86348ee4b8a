import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManifestInputError } from '../../src/manifests/errors.js';
import { loadManifests, parseManifests } from '../../src/manifests/load.js';
import { PositionIndex } from '../../src/manifests/positions.js';
import type { Finding } from '../../src/model/findings.js';
import { MANIFEST_KINDS, type ManifestObject } from '../../src/model/manifest.js';
import type { Resolution } from '../../src/model/split.js';
import { resolveSplits } from '../../src/resolve/resolve.js';
import { ROOT } from '../support/cli.js';

/**
 * Properties of loading and resolving (SPEC §4, §10): Istio's weight rule holds for every
 * well-formed VirtualService, and no input — however broken — makes the library throw.
 * numRuns stay modest so the whole suite stays fast.
 */

const FILE = 'generated.yaml';
const CLUSTER = 'svc.cluster.local';

/** Every finding tied to input points at that input's file and a real line. */
function expectPlacedFindings(findings: readonly Finding[], file: string): void {
  for (const item of findings) {
    if (item.code === 'MS004') continue; // "nothing to compare" is about the input as a whole
    expect(item.file, `${item.code} ${item.message}`).toBe(file);
    expect(Number.isInteger(item.line) && (item.line ?? 0) >= 1, `${item.code} line ${item.line}`).toBe(true);
  }
}

function expectSaneSplits(resolution: Resolution): void {
  for (const split of resolution.splits) {
    const sum = split.destinations.reduce((total, d) => total + d.declaredPercent, 0);
    expect(split.destinations.length).toBeGreaterThan(0);
    expect(Math.abs(sum - 100)).toBeLessThan(1e-9);
    for (const d of split.destinations) {
      expect(Number.isFinite(d.declaredPercent) && d.declaredPercent >= 0).toBe(true);
      expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Weights: a model of well-formed VirtualServices.

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const namespaceArb = fc.constantFrom('default', 'bookinfo', 'team-a');

const modelArb = fc
  .record({
    namespace: namespaceArb,
    services: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
    destinations: fc.array(
      fc.record({
        service: fc.nat(),
        subset: fc.option(fc.constantFrom('v1', 'v2', 'v3', 'canary'), { nil: undefined }),
        weight: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
        fqdn: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    withServices: fc.boolean(),
    format: fc.constantFrom('yaml', 'json-list'),
  })
  .map((model) => ({
    ...model,
    destinations: model.destinations.map((d) => ({ ...d, service: model.services[d.service % model.services.length]! })),
  }));

type Model = typeof modelArb extends fc.Arbitrary<infer T> ? T : never;

function manifestsOf(model: Model): string {
  const { namespace } = model;
  const host = (service: string, fqdn: boolean) => (fqdn ? `${service}.${namespace}.${CLUSTER}` : service);
  const objects: Record<string, unknown>[] = [];
  if (model.withServices) {
    for (const service of model.services) {
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: service, namespace }, spec: { selector: { app: service } } });
    }
  }
  for (const service of model.services) {
    const subsets = [...new Set(model.destinations.filter((d) => d.service === service && d.subset).map((d) => d.subset!))];
    if (subsets.length === 0) continue;
    objects.push({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: `${service}-dr`, namespace },
      spec: { host: service, subsets: subsets.map((subset) => ({ name: subset, labels: { app: service, version: subset } })) },
    });
  }
  objects.push({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'split', namespace },
    spec: {
      hosts: [host(model.services[0]!, model.destinations[0]!.fqdn)],
      http: [
        {
          route: model.destinations.map((d) => ({
            destination: { host: host(d.service, d.fqdn), ...(d.subset ? { subset: d.subset } : {}) },
            ...(d.weight === undefined ? {} : { weight: d.weight }),
          })),
        },
      ],
    },
  });
  // Written as a YAML 1.1 writer (go-yaml, kubectl) writes it: a name like `y` quoted, since kubectl would read it as true.
  if (model.format === 'yaml') return objects.map((object) => stringify(object, { version: '1.1' })).join('---\n');
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } }, null, 4);
}

describe('Istio\'s weight rule on generated VirtualServices', () => {
  test('declared percents sum to 100 whenever a weight is positive; a lone destination gets 100', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const text = manifestsOf(model);
        const resolution = resolveSplits(parseManifests(text, FILE));
        const weights = model.destinations.map((d) => d.weight ?? 0);
        const total = weights.reduce((a, b) => a + b, 0);
        const lone = model.destinations.length === 1;
        expectPlacedFindings(resolution.findings, FILE);
        expect(resolution.findings.filter((f) => f.level === 'error' && f.code !== 'MS103')).toEqual([]);

        if (!lone && total === 0) {
          expect(resolution.splits).toEqual([]);
          expect(resolution.findings.map((f) => f.code)).toContain('MS103');
          return;
        }
        expect(resolution.splits).toHaveLength(1);
        const { destinations } = resolution.splits[0]!;
        expect(destinations).toHaveLength(model.destinations.length);
        const sum = destinations.reduce((acc, d) => acc + d.declaredPercent, 0);
        expect(Math.abs(sum - 100)).toBeLessThanOrEqual(1e-9);
        if (lone) expect(destinations[0]!.declaredPercent).toBe(100);

        const lines = text.split('\n');
        destinations.forEach((d, i) => {
          const declared = model.destinations[i]!;
          if (!lone) expect(Math.abs(d.declaredPercent - (weights[i]! * 100) / total)).toBeLessThanOrEqual(1e-9);
          expect(d.host).toBe(`${declared.service}.${model.namespace}.${CLUSTER}`);
          expect(d.subset).toBe(declared.subset ?? null);
          // A subset's version comes from its DestinationRule's labels.
          if (declared.subset) expect(d.version).toBe(declared.subset);
          else expect(d.version).toBeNull();
          expect(d.weight).toBe(declared.weight ?? (lone ? 100 : 0));
          // The line is the weight's when there is one.
          if (declared.weight !== undefined) expect(lines[d.line - 1]).toMatch(new RegExp(`"?weight"?: ${declared.weight}\\b`));
        });
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Parsing never throws.

/** Pieces of YAML syntax, so random texts hit the parser's corners rather than plain scalars. */
const YAML_TOKENS = [
  '{', '}', '[', ']', ':', ': ', ',', ', ', '?', '? ', '- ', '-', ' ', '  ', '\n', '\n  ', '\t', '#', '"', "'", '|', '>',
  '&a ', '*a', '&b ', '*b', '!!str ', '!!map ', '!!seq ', '!!binary ', '!tag ', '<<: ', '---\n', '...\n', '%YAML 1.2\n',
  'a', 'b', 'kind', 'apiVersion: v1\n', 'kind: Service\n', 'metadata:', 'name: x', 'null', '~', 'true', '1', '-1', '0x1f',
  '.inf', '__proto__', 'toString', 'constructor', 'valueOf', '\u00e9', '\ud83d\ude00', '\u0000', '\r\n', '\ufeff',
];
const yamlSoup = fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(''));

let validTexts: string[] = [];

/** A valid manifest, truncated or edited in a few places. */
const mutatedManifest = fc
  .record({
    base: fc.nat(),
    edits: fc.array(
      fc.record({
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        kind: fc.constantFrom('truncate', 'delete', 'insert', 'replace'),
        length: fc.integer({ min: 1, max: 20 }),
        token: fc.constantFrom(...YAML_TOKENS),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ base, edits }) => {
    let text = validTexts[base % validTexts.length]!;
    for (const edit of edits) {
      const at = Math.floor(edit.at * text.length);
      if (edit.kind === 'truncate') text = text.slice(0, at);
      else if (edit.kind === 'delete') text = text.slice(0, at) + text.slice(at + edit.length);
      else if (edit.kind === 'insert') text = text.slice(0, at) + edit.token + text.slice(at);
      else text = text.slice(0, at) + edit.token + text.slice(at + edit.token.length);
    }
    return text;
  });

function parsesCleanly(text: string): void {
  const loaded = parseManifests(text, FILE);
  expect(loaded.sources).toEqual([FILE]);
  for (const item of loaded.findings) {
    expect(item.file).toBe(FILE);
    expect(Number.isInteger(item.line) && (item.line ?? 0) >= 1).toBe(true);
    expect(['MS001', 'MS002', 'MS003', 'MS006']).toContain(item.code);
  }
  for (const object of loaded.objects) {
    expect(object.file).toBe(FILE);
    expect(Number.isInteger(object.line) && object.line >= 1).toBe(true);
  }
  const resolution = resolveSplits(loaded);
  expectPlacedFindings(resolution.findings, FILE);
  expectSaneSplits(resolution);
}

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mesh-split-properties-'));
  const files = [
    'examples/helloworld/helloworld.yaml',
    'examples/helloworld/helloworld-dr.yaml',
    'examples/helloworld/helloworld-gateway.yaml',
    'test/fixtures/cli/split.yaml',
    'test/fixtures/cli/list.json',
    'test/fixtures/kube/list.json',
  ];
  validTexts = await Promise.all(files.map((file) => readFile(join(ROOT, file), 'utf8')));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('parseManifests never throws', () => {
  test('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), parsesCleanly), { numRuns: 300 });
  });

  test('on random soups of YAML syntax', () => {
    // The examples are valid YAML that once crashed the converter; they run first, every time.
    fc.assert(fc.property(yamlSoup, parsesCleanly), { numRuns: 500, examples: [['{a, b}'], ['? a'], ['? {toString: 1}\n: x']] });
  });

  test('on truncated and mutated valid manifests', () => {
    fc.assert(fc.property(mutatedManifest, parsesCleanly), { numRuns: 300 });
  });

  test('on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, pretty) => parsesCleanly(JSON.stringify(value, null, pretty ? 2 : undefined))),
      { numRuns: 200 },
    );
  });

  test('loadManifests on such files throws nothing but ManifestInputError', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), yamlSoup, mutatedManifest), async (text) => {
        const file = join(scratch, `input-${run++}.yaml`);
        await writeFile(file, text);
        try {
          const loaded = await loadManifests({ filenames: [file] });
          expect(loaded.sources).toEqual([file]);
          expectPlacedFindings(loaded.findings, file);
        } catch (error) {
          expect(error).toBeInstanceOf(ManifestInputError);
        }
      }),
      { numRuns: 60, examples: [['? ']] },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 3. The resolver never throws on objects shaped loosely like manifests, wrong types everywhere.

const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', null, 0, -1, true, [], {}));
/** Mostly the right shape, now and then anything at all (a wrong type, a string, null...). */
const orJunk = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 80, arbitrary }, { weight: 1, arbitrary: junk });
const some = <T>(arbitrary: fc.Arbitrary<T>, maxLength = 3, minLength = 0) => orJunk(fc.array(orJunk(arbitrary), { minLength, maxLength }));
/** Usually absent (undefined is dropped by both serialisers). */
const rare = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const optionalRecord = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T, requiredKeys: (keyof T)[] = []) =>
  fc.record(model, { requiredKeys: requiredKeys as never[] });

const hostArb = fc.constantFrom('reviews', 'reviews.bookinfo', `reviews.bookinfo.${CLUSTER}`, 'ratings', `ratings.default.${CLUSTER}`, '*', '*.example.com', 'api.example.com', 'a b');
const gatewayRef = fc.constantFrom('mesh', 'gw', 'istio-system/gw', `gw.istio-system.${CLUSTER}`, '/gw', 'ns/', 'missing');
const subsetArb = fc.constantFrom('v1', 'v2', 'canary', 'constructor', '__proto__');
const labelsArb = fc.dictionary(
  fc.constantFrom('app', 'version', 'app.kubernetes.io/version', 'service.istio.io/canonical-revision', 'istio', '__proto__'),
  orJunk(fc.constantFrom('v1', 'v2', 'reviews', 'ingressgateway')),
  { maxKeys: 3 },
);
const weightArb = fc.oneof(
  { weight: 40, arbitrary: fc.integer({ min: 0, max: 1000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: -1 }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31, 1_000_001, 0.5, 1e-9, null) },
);

const routeDestination = optionalRecord(
  {
    destination: orJunk(optionalRecord({ host: orJunk(hostArb), subset: orJunk(fc.option(subsetArb)), port: optionalRecord({ number: fc.nat() }) }, ['host'])),
    weight: orJunk(weightArb),
  },
  ['destination'],
);
const istioRoute = fc.record({
  name: rare(orJunk(fc.string({ maxLength: 5 }))),
  match: rare(some(optionalRecord({ gateways: some(gatewayRef), uri: optionalRecord({ prefix: fc.string({ maxLength: 3 }) }), sniHosts: some(hostArb), port: fc.nat() }), 2)),
  route: some(routeDestination, 4, 1),
  mirror: rare(orJunk(optionalRecord({ host: hostArb }))),
  delegate: rare(orJunk(optionalRecord({ name: fc.string({ maxLength: 5 }), namespace: fc.string({ maxLength: 5 }) }))),
});
const backendRef = optionalRecord(
  {
    name: orJunk(fc.constantFrom('reviews', 'ratings')),
    namespace: orJunk(fc.constantFrom('bookinfo', 'default')),
    kind: orJunk(fc.constantFrom('Service', 'Service', 'Service', 'ServiceImport')),
    group: orJunk(fc.constantFrom('', '', '', 'multicluster.x-k8s.io')),
    port: fc.nat(),
    weight: orJunk(weightArb),
  },
  ['name'],
);

const SPECS = {
  VirtualService: fc.record({ hosts: some(hostArb, 2, 1), gateways: rare(some(gatewayRef)), http: some(istioRoute, 3, 1), tcp: rare(some(istioRoute, 2)), tls: rare(some(istioRoute, 2)) }),
  DestinationRule: optionalRecord({ host: orJunk(hostArb), subsets: some(optionalRecord({ name: orJunk(subsetArb), labels: orJunk(labelsArb) }, ['name'])) }, ['host', 'subsets']),
  Gateway: optionalRecord({ selector: orJunk(labelsArb) }),
  Service: optionalRecord({ selector: orJunk(labelsArb) }),
  ServiceEntry: optionalRecord({ hosts: some(hostArb) }),
  HTTPRoute: optionalRecord({
    parentRefs: some(optionalRecord({ name: orJunk(fc.constantFrom('gw', 'reviews')), kind: orJunk(fc.constantFrom('Gateway', 'Service')), namespace: orJunk(fc.constantFrom('istio-system', 'bookinfo')), group: orJunk(fc.constantFrom('', 'gateway.networking.k8s.io')) }, ['name'])),
    hostnames: some(hostArb),
    rules: some(fc.record({ name: rare(orJunk(fc.string({ maxLength: 4 }))), matches: rare(some(optionalRecord({ path: optionalRecord({ type: fc.constantFrom('PathPrefix', 'Exact'), value: fc.constantFrom('/', '/api') }) }))), backendRefs: some(backendRef, 4, 1) }), 3, 1),
  }, ['parentRefs', 'rules']),
} satisfies Record<(typeof MANIFEST_KINDS)[number], fc.Arbitrary<unknown>>;
const API_VERSIONS: Record<(typeof MANIFEST_KINDS)[number], string> = {
  VirtualService: 'networking.istio.io/v1',
  DestinationRule: 'networking.istio.io/v1beta1',
  Gateway: 'networking.istio.io/v1alpha3',
  Service: 'v1',
  ServiceEntry: 'networking.istio.io/v1',
  HTTPRoute: 'gateway.networking.k8s.io/v1',
};
const anyApiVersion = fc.constantFrom('networking.istio.io/v1', 'v1', 'gateway.networking.k8s.io/v1', 'apps/v1', '');
const metadataArb = optionalRecord(
  {
    name: orJunk(fc.constantFrom('reviews', 'ratings', 'gw', 'split')),
    namespace: orJunk(fc.constantFrom('bookinfo', 'default', 'istio-system')),
    annotations: orJunk(fc.dictionary(fc.constantFrom('mesh-split.io/tolerance', 'mesh-split.io/ignore', 'note'), orJunk(fc.string({ maxLength: 4 })), { maxKeys: 2 })),
    labels: orJunk(labelsArb),
  },
  ['name'],
);
/** One object: usually a kind with its apiVersion and spec, with junk sprinkled at every level. */
const looseObject = fc
  .constantFrom(...MANIFEST_KINDS)
  .chain((kind) =>
    optionalRecord(
      {
        apiVersion: fc.oneof({ weight: 9, arbitrary: fc.constant(API_VERSIONS[kind]) }, { weight: 1, arbitrary: orJunk(anyApiVersion) }),
        kind: fc.oneof({ weight: 19, arbitrary: fc.constant<unknown>(kind) }, { weight: 1, arbitrary: orJunk(fc.constantFrom('Deployment', 'List')) }),
        metadata: orJunk(metadataArb),
        spec: orJunk(SPECS[kind]),
      },
      ['apiVersion', 'kind', 'metadata', 'spec'],
    ),
  );

describe('resolveSplits never throws', () => {
  test('on loosely shaped manifests read from a file (YAML or a JSON List): every finding has file and line', () => {
    fc.assert(
      fc.property(fc.array(looseObject, { minLength: 1, maxLength: 8 }), fc.boolean(), (objects, asYaml) => {
        const text = asYaml
          ? objects.map((object) => stringify(object)).join('---\n')
          : JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2);
        const loaded = parseManifests(text, FILE);
        const resolution = resolveSplits(loaded);
        expectPlacedFindings(resolution.findings, FILE);
        expectSaneSplits(resolution);
      }),
      { numRuns: 300 },
    );
  });

  test('on ManifestObjects built in memory with arbitrary bodies and no positions', () => {
    const objectArb = fc.record({
      kind: fc.constantFrom(...MANIFEST_KINDS),
      apiVersion: anyApiVersion,
      name: fc.constantFrom('reviews', 'ratings', 'gw'),
      namespace: fc.constantFrom('bookinfo', 'default'),
      body: fc.oneof(looseObject, fc.dictionary(fc.string({ maxLength: 5 }), junk, { maxKeys: 4 })),
    });
    fc.assert(
      fc.property(fc.array(objectArb, { maxLength: 8 }), (specs) => {
        const objects: ManifestObject[] = specs.map((spec, index) => ({
          ...spec,
          body: spec.body as Record<string, unknown>,
          file: 'memory.yaml',
          line: index + 1,
          positions: new PositionIndex(),
        }));
        const resolution = resolveSplits({ objects, findings: [] });
        expectPlacedFindings(resolution.findings, 'memory.yaml');
        expectSaneSplits(resolution);
      }),
      { numRuns: 300 },
    );
  });
});
