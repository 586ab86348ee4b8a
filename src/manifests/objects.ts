import { finding, objectLabel, type Finding } from '../model/findings.js';
import { MANIFEST_KINDS, type ManifestKind, type ManifestObject } from '../model/manifest.js';
import type { ParsedSource } from './parse.js';
import type { PositionIndex } from './positions.js';

/** API groups per kind: an object is ours only when both kind and group match. */
const GROUPS: Record<ManifestKind, readonly string[]> = {
  VirtualService: ['networking.istio.io'],
  DestinationRule: ['networking.istio.io'],
  Gateway: ['networking.istio.io'],
  ServiceEntry: ['networking.istio.io'],
  Service: [''],
  HTTPRoute: ['gateway.networking.k8s.io'],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export interface ExtractOptions {
  defaultNamespace: string;
  /** kubectl output: count each List item's lines from its own start, as `kubectl get NAME -o json` would. */
  rebaseListItems?: boolean;
}

/**
 * Where an object of the source starts, in text order, with its label when it is one mesh-split
 * reads (null for any other kind): a finding of the parse is placed in the object it falls in.
 */
export interface ObjectSpan {
  line: number;
  object: string | null;
}

/**
 * Finds the objects mesh-split reads in parsed documents, unwrapping `kind: List` (and
 * `FooList`) as `kubectl get -o yaml|json` prints them.
 */
export function extractObjects(
  source: ParsedSource,
  options: ExtractOptions,
): { objects: ManifestObject[]; findings: Finding[]; spans: ObjectSpan[] } {
  const objects: ManifestObject[] = [];
  const findings: Finding[] = [];
  const spans: ObjectSpan[] = [];
  /** `textLine`: where the value starts in the source text (`line` may be re-based, `--kube`). */
  const visit = (value: unknown, line: number, textLine: number, positions: PositionIndex, depth: number): void => {
    // Every document and item has a span, ours or not, so none is taken for part of the one before.
    const span: ObjectSpan = { line: textLine, object: null };
    spans.push(span);
    if (!isRecord(value)) return;
    const kind = value.kind;
    const apiVersion = value.apiVersion;
    if (typeof kind !== 'string') return;
    if (kind.endsWith('List') && Array.isArray(value.items) && depth < 2) {
      value.items.forEach((item, index) => {
        const itemLine = positions.lineOf(value.items, index) ?? line;
        const itemPositions = options.rebaseListItems ? positions.rebased(itemLine) : positions;
        visit(item, itemPositions.lineOf(item) ?? itemLine, source.positions.lineOf(value.items, index) ?? textLine, itemPositions, depth + 1);
      });
      // The List's own keys after its items (kubectl prints `kind` and `metadata` there) are its own.
      const itemsLine = source.positions.lineOf(value, 'items') ?? textLine;
      for (const key of Object.keys(value)) {
        const keyLine = source.positions.lineOf(value, key);
        if (keyLine !== undefined && keyLine > itemsLine) spans.push({ line: keyLine, object: null });
      }
      return;
    }
    if (!(MANIFEST_KINDS as readonly string[]).includes(kind)) return;
    const ours = kind as ManifestKind;
    if (typeof apiVersion !== 'string' || !GROUPS[ours].includes(apiGroup(apiVersion))) return;
    const metadata = value.metadata;
    const name = isRecord(metadata) ? metadata.name : undefined;
    if (typeof name !== 'string' || name === '') {
      // Still ours for the scalars in it (`name: yes` is a boolean to kubectl: MS006 says why).
      span.object = `${kind} (unnamed)`;
      findings.push(
        finding(
          'MS003',
          { object: span.object, file: source.file, line: positions.lineOf(value, 'metadata') ?? line },
          `${kind} has no metadata.name; give it a name`,
        ),
      );
      return;
    }
    const namespace = isRecord(metadata) ? metadata.namespace : undefined;
    if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) {
      span.object = `${kind} ${name}`;
      findings.push(
        finding(
          'MS003',
          { object: span.object, file: source.file, line: positions.lineOf(metadata, 'namespace') ?? line },
          'metadata.namespace must be a non-empty string',
        ),
      );
      return;
    }
    span.object = objectLabel(ours, namespace ?? options.defaultNamespace, name);
    objects.push({
      kind: ours,
      apiVersion,
      name,
      namespace: namespace ?? options.defaultNamespace,
      body: value,
      file: source.file,
      line,
      positions,
    });
  };
  for (const document of source.documents) {
    visit(document.value, document.line, document.line, source.positions, 0);
  }
  // A List's trailing keys come after its items' spans: in text order again.
  spans.sort((a, b) => a.line - b.line);
  return { objects, findings, spans };
}
