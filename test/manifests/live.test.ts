import { chmodSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveManifests, replayable } from '../../src/manifests/live.js';
import { resolveSplits } from '../../src/resolve/resolve.js';
import { virtualService } from '../support/manifests.js';
import { ROOT } from '../support/cli.js';
import { scratchDirectory } from '../support/scratch.js';

const FAKE_KUBECTL = join(ROOT, 'test/fixtures/kube/fake-kubectl.mjs');
const CROSS_NAMESPACE = join(ROOT, 'test/fixtures/kube/cross-namespace.json');

const vs = (v1: number) =>
  virtualService('reviews', 'reviews', [
    { host: 'reviews-v1', weight: v1 },
    { host: 'reviews-v2', weight: 100 - v1 },
  ]);

describe('manifests for a watch', () => {
  it('are re-read when a file changes, and only then', async () => {
    const directory = scratchDirectory('mesh-split-live-');
    const file = join(directory, 'vs.yaml');
    writeFileSync(file, vs(90));
    const read = liveManifests({ filenames: [directory] });
    const first = await read();
    expect(await read()).toBe(first);
    writeFileSync(file, vs(25));
    // Same size, so make sure the modification time moves too.
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const changed = await read();
    expect(changed).not.toBe(first);
    expect(resolveSplits(changed).splits[0]?.destinations.map((d) => d.declaredPercent)).toEqual([25, 75]);
    writeFileSync(join(directory, 'more.yaml'), vs(50).replace('name: reviews', 'name: other'));
    expect((await read()).objects).toHaveLength(2);
  });

  it('with --kube, are read through kubectl every time but parsed again only when its output changed', async () => {
    const directory = scratchDirectory('mesh-split-live-kube-');
    const output = join(directory, 'objects.yaml');
    const kubectl = join(directory, 'kubectl');
    const calls = join(directory, 'calls');
    // A fake kubectl: prints the file (YAML is as good as JSON to the parser) when asked for the
    // routes, an empty List for their context, and counts its calls.
    writeFileSync(
      kubectl,
      `#!/bin/sh\necho x >> '${calls}'\ncase "$2" in virtualservices*) cat '${output}' ;; *) echo '{"kind": "List", "items": []}' ;; esac\n`,
    );
    chmodSync(kubectl, 0o755);
    writeFileSync(output, vs(90));
    const read = liveManifests({ kube: { kubectl } });
    const first = await read();
    expect(await read()).toBe(first);
    writeFileSync(output, vs(25));
    const changed = await read();
    expect(changed).not.toBe(first);
    expect(resolveSplits(changed).splits[0]?.destinations.map((d) => d.declaredPercent)).toEqual([25, 75]);
    // Three readings, each of the routes and of their context.
    expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean)).toHaveLength(6);
  });

  it('with --kube, what the cluster refused once is not asked again: one kubectl call a group for every later refresh', async () => {
    for (const mode of ['namespace-scoped', 'no-httproutes', 'forbidden-httproutes']) {
      const directory = scratchDirectory('mesh-split-live-refused-');
      const log = join(directory, 'calls');
      const kubectl = join(directory, 'kubectl');
      writeFileSync(
        kubectl,
        `#!/bin/sh\nFAKE_KUBECTL_MODE=${mode} FAKE_KUBECTL_LOG='${log}' FAKE_KUBECTL_STDOUT='${CROSS_NAMESPACE}' exec '${process.execPath}' '${FAKE_KUBECTL}' "$@"\n`,
      );
      chmodSync(kubectl, 0o755);
      const calls = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
      const read = liveManifests({ kube: { kubectl, namespace: 'shop' } });
      const first = await read();
      expect(calls(), mode).toBe(3);
      expect(first.objects.map((object) => `${object.kind} ${object.namespace}/${object.name}`).sort(), mode).toEqual(
        mode === 'namespace-scoped' ? ['VirtualService shop/storefront-api'] : ['DestinationRule backend/api', 'Service backend/api', 'VirtualService shop/storefront-api'],
      );
      expect(first.findings.filter((item) => item.code === 'MS206'), mode).toHaveLength(mode === 'no-httproutes' ? 0 : 1);
      expect(await read(), mode).toBe(first);
      expect(calls(), mode).toBe(5);
    }
  });

  it('with -f -, keep what standard input gave when a file beside it changes (stdin is read once)', async () => {
    const directory = scratchDirectory('mesh-split-live-stdin-');
    const file = join(directory, 'other.yaml');
    writeFileSync(file, vs(50).replace('name: reviews', 'name: other'));
    let reads = 0;
    async function* stdin() {
      reads++;
      yield Buffer.from(vs(90));
    }
    const read = liveManifests({ filenames: ['-', directory], stdin: stdin() });
    const first = await read();
    expect(first.objects).toHaveLength(2);
    expect(await read()).toBe(first);
    writeFileSync(file, vs(30).replace('name: reviews', 'name: other'));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const changed = await read();
    expect(changed).not.toBe(first);
    expect(changed.sources).toEqual(first.sources);
    expect(
      resolveSplits(changed)
        .splits.map((split) => `${split.virtualService.name} ${split.destinations.map((d) => d.declaredPercent).join('/')}`)
        .sort(),
    ).toEqual(['other 30/70', 'reviews 90/10']);
    expect(reads).toBe(1);
  });

  it('replays a stream: the first reading passes chunks through, later ones get what it kept, even when it stopped early', async () => {
    async function* chunks() {
      yield 'a';
      yield 'b';
      yield 'c';
    }
    const stream = replayable(chunks());
    const firstTwo: string[] = [];
    for await (const chunk of stream) {
      firstTwo.push(chunk);
      if (firstTwo.length === 2) break;
    }
    expect(firstTwo).toEqual(['a', 'b']);
    const again: string[] = [];
    for await (const chunk of stream) again.push(chunk);
    expect(again).toEqual(['a', 'b']);
  });

  it('replays the error that ended the first reading, and refuses a reading that overlaps the first', async () => {
    async function* failing() {
      yield 'a';
      throw new Error('EIO');
    }
    const stream = replayable(failing());
    const readAll = async () => {
      const got: string[] = [];
      for await (const chunk of stream) got.push(chunk);
      return got;
    };
    await expect(readAll()).rejects.toThrow('EIO');
    await expect(readAll()).rejects.toThrow('EIO');

    let release = () => {};
    async function* slow() {
      yield 'a';
      await new Promise<void>((resolve) => (release = resolve));
      yield 'b';
    }
    const shared = replayable(slow());
    const first = shared[Symbol.asyncIterator]();
    expect(await first.next()).toEqual({ value: 'a', done: false });
    const pending = first.next();
    await new Promise((resolve) => setImmediate(resolve));
    await expect(shared[Symbol.asyncIterator]().next()).rejects.toThrow('read twice at once');
    release();
    expect(await pending).toEqual({ value: 'b', done: false });
    expect((await first.next()).done).toBe(true);
    const again: string[] = [];
    for await (const chunk of shared) again.push(chunk);
    expect(again).toEqual(['a', 'b']);
  });
});
