import type { LoadedManifests } from '../model/manifest.js';
import { readFromKube } from './kube.js';
import { loadManifests, loadManifestsWithKubeText, type LoadOptions } from './load.js';
import { fingerprint } from './sources.js';

/**
 * Manifests for a long-running watch: files are re-read when they change, live objects read
 * through kubectl on every call but parsed again only when its output changed (thousands of
 * objects take a good fraction of a second to parse). An unchanged result is the same object,
 * so the watch reuses its plan too. Standard input can be read only once, so `-f -` is never
 * re-read.
 */
export function liveManifests(options: LoadOptions): () => Promise<LoadedManifests> {
  let last: { print: string; kubeText: string | null; manifests: LoadedManifests } | null = null;
  const files = options.filenames ?? [];
  return async () => {
    if (last && files.includes('-') && !options.kube) return last.manifests;
    const kubeText = options.kube ? await readFromKube(options.kube) : null;
    const print = await fingerprint(files);
    if (last?.print !== print || last.kubeText !== kubeText) {
      last = { print, kubeText, manifests: await (kubeText === null ? loadManifests(options) : loadManifestsWithKubeText(options, kubeText)) };
    }
    return last.manifests;
  };
}
