import { append } from '../arrays.js';
import { compareFindings, finding, objectLabel, type Finding } from '../model/findings.js';
import type { LoadedManifests, ManifestObject } from '../model/manifest.js';
import { readFromKube, type KubeOptions, type KubeReading } from './kube.js';
import { extractObjects } from './objects.js';
import { readingFindings } from './yaml-1-1.js';
import { parseSource } from './parse.js';
import { readSources } from './sources.js';

export const DEFAULT_NAMESPACE = 'default';

export interface LoadOptions {
  /** `-f` arguments: files, directories, or `-` for stdin. */
  filenames?: readonly string[];
  /** Read by `-f -`; defaults to nothing (library callers pass process.stdin explicitly). */
  stdin?: AsyncIterable<Buffer | string>;
  /** Read live objects through kubectl instead of (or as well as) files. */
  kube?: KubeOptions;
  /** Namespace for objects without `metadata.namespace` (default `default`). */
  defaultNamespace?: string;
}

/** Parses one text (YAML or JSON, one or many documents, `kind: List`) into manifest objects. */
export function parseManifests(text: string, file: string, defaultNamespace = DEFAULT_NAMESPACE): LoadedManifests {
  const parsed = parseSource(text, file);
  const extracted = extractObjects(parsed, { defaultNamespace });
  return { objects: extracted.objects, findings: [...parsed.findings, ...readingFindings(parsed.readings, file, extracted.spans), ...extracted.findings], sources: [file] };
}

/**
 * Reads every source and returns the objects mesh-split understands with their findings.
 * Throws only ManifestInputError, when a source as a whole cannot be read.
 */
export function loadManifests(options: LoadOptions): Promise<LoadedManifests> {
  return load(options, readFromKube);
}

/**
 * `loadManifests` with kubectl's output already read (for `options.kube`): a watch reads it
 * first, to parse it again only when it changed.
 */
export function loadManifestsWithKubeReading(options: LoadOptions, reading: KubeReading): Promise<LoadedManifests> {
  return load(options, async () => reading);
}

async function load(options: LoadOptions, readKube: (options: KubeOptions) => Promise<KubeReading>): Promise<LoadedManifests> {
  const defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
  const objects: ManifestObject[] = [];
  const findings: Finding[] = [];
  const sources: string[] = [];

  const read = await readSources(options.filenames ?? [], options.stdin);
  append(findings, read.findings);
  for (const { file, text } of read.texts) {
    const loaded = parseManifests(text, file, defaultNamespace);
    append(objects, loaded.objects);
    append(findings, loaded.findings);
    sources.push(file);
  }
  if (options.kube) {
    const reading = await readKube(options.kube);
    append(findings, reading.findings);
    for (const text of reading.outputs) {
      const parsed = parseSource(text, 'kubectl');
      const extracted = extractObjects(parsed, { defaultNamespace, rebaseListItems: true });
      append(findings, parsed.findings);
      append(findings, readingFindings(parsed.readings, 'kubectl', extracted.spans));
      append(findings, extracted.findings);
      // A live object has no file; name it so `kubectl get KIND NAME -n NS -o json` shows the same lines.
      for (const object of extracted.objects) {
        objects.push({ ...object, file: `kube:${object.namespace}/${object.kind}/${object.name}` });
      }
    }
    sources.push('kubectl');
  }
  const unique = withoutDuplicates(objects, findings);
  return { objects: unique, findings: findings.sort(compareFindings), sources };
}

/** The same object twice: the later one wins, as with `kubectl apply`, and we say so. */
function withoutDuplicates(objects: ManifestObject[], findings: Finding[]): ManifestObject[] {
  const byKey = new Map<string, ManifestObject>();
  for (const object of objects) {
    const key = `${object.kind}/${object.namespace}/${object.name}`;
    const earlier = byKey.get(key);
    if (earlier) {
      findings.push(
        finding(
          'MS005',
          { object: objectLabel(object.kind, object.namespace, object.name), file: object.file, line: object.line },
          `defined again (first at ${earlier.file}:${earlier.line}); this later definition is used — remove one`,
        ),
      );
      byKey.delete(key);
    }
    byKey.set(key, object);
  }
  return [...byKey.values()];
}
