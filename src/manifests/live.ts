import type { LoadedManifests } from '../model/manifest.js';
import { kubeReader, sameKubeReading, type KubeReading } from './kube.js';
import { loadManifests, loadManifestsWithKubeReading, type LoadOptions } from './load.js';
import { fingerprint } from './sources.js';

/**
 * Manifests for a long-running watch: files are re-read when they change, live objects read
 * through kubectl on every call but parsed again only when its output changed (thousands of
 * objects take a good fraction of a second to parse). An unchanged result is the same object,
 * so the watch reuses its plan too. Standard input can be read only once: what the first read
 * got is given again to every later one, so `-f -` keeps its objects when files or kubectl's
 * output change around it.
 */
export function liveManifests(options: LoadOptions): () => Promise<LoadedManifests> {
  let last: { print: string; kube: KubeReading | null; manifests: LoadedManifests } | null = null;
  const files = options.filenames ?? [];
  const load = { ...options, ...(options.stdin ? { stdin: replayable(options.stdin) } : {}) };
  const readKube = options.kube ? kubeReader(options.kube) : null;
  return async () => {
    const kube = readKube ? await readKube() : null;
    const print = await fingerprint(files);
    if (last?.print !== print || !sameKubeReading(last.kube, kube)) {
      last = { print, kube, manifests: await (kube === null ? loadManifests(load) : loadManifestsWithKubeReading(load, kube)) };
    }
    return last.manifests;
  };
}

/**
 * A stream that can be read again: the first reading passes the chunks through and keeps them
 * (however far the reader went: a source refused as too large stays refused); later readings
 * get the kept chunks, or the error that ended the first. Readings take turns (a watch loads
 * one at a time): one that starts while the first is still reading is refused, since it could
 * only be given part of the stream.
 */
export function replayable<T>(stream: AsyncIterable<T>): AsyncIterable<T> {
  const kept: T[] = [];
  let state: 'unread' | 'reading' | 'read' = 'unread';
  let failure: { error: unknown } | null = null;
  return {
    async *[Symbol.asyncIterator]() {
      if (state === 'reading') throw new Error('internal error: a replayable stream read twice at once');
      if (state === 'read') {
        if (failure) throw failure.error;
        yield* kept;
        return;
      }
      state = 'reading';
      try {
        for await (const chunk of stream) {
          kept.push(chunk);
          yield chunk;
        }
      } catch (error) {
        failure = { error };
        throw error;
      } finally {
        state = 'read';
      }
    },
  };
}
