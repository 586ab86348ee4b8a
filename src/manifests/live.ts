import type { LoadedManifests } from '../model/manifest.js';
import { loadManifests, type LoadOptions } from './load.js';
import { fingerprint } from './sources.js';

/**
 * Manifests for a long-running watch: files are re-read when they change, live objects through
 * kubectl on every call. Standard input can be read only once, so `-f -` is never re-read.
 */
export function liveManifests(options: LoadOptions): () => Promise<LoadedManifests> {
  let last: { print: string; manifests: LoadedManifests } | null = null;
  const files = options.filenames ?? [];
  return async () => {
    if (options.kube) return loadManifests(options);
    if (last && files.includes('-')) return last.manifests;
    const print = await fingerprint(files);
    if (last?.print !== print) last = { print, manifests: await loadManifests(options) };
    return last.manifests;
  };
}
