import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveManifests } from '../../src/manifests/live.js';
import { resolveSplits } from '../../src/resolve/resolve.js';
import { virtualService } from '../support/manifests.js';

const vs = (v1: number) =>
  virtualService('reviews', 'reviews', [
    { host: 'reviews-v1', weight: v1 },
    { host: 'reviews-v2', weight: 100 - v1 },
  ]);

describe('manifests for a watch', () => {
  it('are re-read when a file changes, and only then', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'mesh-split-live-'));
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
});
