import type { LoadedManifests } from '../model/manifest.js';
import { readFromKube } from './kube.js';
import { loadManifests, loadManifestsWithKubeText, type LoadOptions } from './load.js';
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
  let last: { print: string; kubeText: string | null; manifests: LoadedManifests } | null = null;
  const files = options.filenames ?? [];
  const load = { ...options, ...(options.stdin ? { stdin: replayable(options.stdin) } : {}) };
  return async () => {
    const kubeText = options.kube ? await readFromKube(options.kube) : null;
    const print = await fingerprint(files);
    if (last?.print !== print || last.kubeText !== kubeText) {
      last = { print, kubeText, manifests: await (kubeText === null ? loadManifests(load) : loadManifestsWithKubeText(load, kubeText)) };
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
