import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifests/load.js';
import { resolveSplits } from '../../src/resolve/resolve.js';
import { lineOf, percents } from './helpers.js';

const EXAMPLE = 'examples/helloworld';

describe("the seed's three helloworld configurations", async () => {
  const resolution = resolveSplits(await loadManifests({ filenames: [EXAMPLE] }));
  const byName = (name: string) => resolution.splits.find((split) => split.virtualService.name === name);

  it('per-version Services at 20/80, mesh-bound, versions from the Services\' selectors', () => {
    const split = byName('helloworld-vs');
    expect(split?.binding).toBe('mesh');
    expect(split?.destinations.map((d) => [d.host, d.subset, d.version, d.declaredPercent])).toEqual([
      ['helloworld-v1.default.svc.cluster.local', null, 'v1', 20],
      ['helloworld-v2.default.svc.cluster.local', null, 'v2', 80],
    ]);
    const text = readFileSync(`${EXAMPLE}/simple-virtual-service.yaml`, 'utf8');
    expect(split?.destinations.map((d) => d.line)).toEqual([lineOf(text, 'weight: 20'), lineOf(text, 'weight: 80')]);
  });

  it('the Gateway-bound VirtualService at 70/30 applies to helloworld-gateway traffic only', () => {
    const split = byName('helloworld-vs-w-gateway');
    expect(split?.binding).toBe('default/helloworld-gateway');
    expect(percents(split)).toEqual([70, 30]);
    expect(split?.destinations.map((d) => d.version)).toEqual(['v1', 'v2']);
    expect(resolution.gateways).toEqual([
      expect.objectContaining({ namespace: 'default', name: 'helloworld-gateway', selector: { istio: 'ingressgateway' } }),
    ]);
  });

  it('DestinationRule subsets at 70/30 resolve to the subsets\' version labels', () => {
    const split = byName('helloworld-vs-w-dr');
    expect(split?.destinations.map((d) => [d.host, d.subset, d.version, d.declaredPercent])).toEqual([
      ['helloworld.default.svc.cluster.local', 'helloworld-v1', 'v1', 70],
      ['helloworld.default.svc.cluster.local', 'helloworld-v2', 'v2', 30],
    ]);
  });

  it('no errors; the two mesh-bound VirtualServices for one host are flagged, as in the seed', () => {
    expect(resolution.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(resolution.findings.map((f) => f.code)).toEqual(['MS111']);
  });
});

describe('bookinfo reviews with three subsets and weights summing to 5', async () => {
  const file = 'test/fixtures/bookinfo/reviews.yaml';
  const resolution = resolveSplits(await loadManifests({ filenames: [file] }));

  it('weights are relative: 1/2/2 → 20/40/40', () => {
    expect(resolution.splits).toHaveLength(1);
    const split = resolution.splits[0]!;
    expect(split.virtualService).toMatchObject({ namespace: 'bookinfo', name: 'reviews' });
    expect(split.destinations.map((d) => [d.host, d.subset, d.version, d.weight, d.declaredPercent])).toEqual([
      ['reviews.bookinfo.svc.cluster.local', 'v1', 'v1', 1, 20],
      ['reviews.bookinfo.svc.cluster.local', 'v2', 'v2', 2, 40],
      ['reviews.bookinfo.svc.cluster.local', 'v3', 'v3', 2, 40],
    ]);
  });

  it('says the sum is not 100 as information, not an error', () => {
    expect(resolution.findings).toEqual([
      expect.objectContaining({ code: 'MS201', level: 'info', object: 'VirtualService bookinfo/reviews', file }),
    ]);
  });
});
