import { append } from '../arrays.js';
import { oncePer } from '../memo.js';
import { compareFindings, finding, type Finding } from '../model/findings.js';
import type { LoadedManifests } from '../model/manifest.js';
import { MESH, sourceLabel, type DeclaredSplit, type Resolution, type SplitSource } from '../model/split.js';
import { resolveHttpRoute } from './http-route.js';
import { annotationFindings } from './annotations.js';
import { MeshIndex } from './mesh-index.js';
import { resolveVirtualService } from './virtual-service.js';

const PROTOCOL_ORDER = { http: 0, tcp: 1, tls: 2 } as const;

/**
 * Manifests → declared splits, following Istio's rules (SPEC §4). Pure: no I/O, never throws
 * on any input; every problem is a finding.
 */
export function resolveSplits(manifests: Pick<LoadedManifests, 'objects' | 'findings'>): Resolution {
  const findings: Finding[] = [...manifests.findings];
  const index = new MeshIndex(manifests.objects, findings);
  const splits: DeclaredSplit[] = [];
  for (const object of manifests.objects) {
    if (object.kind === 'VirtualService') append(splits, resolveVirtualService(object, index, findings));
    else if (object.kind === 'HTTPRoute') append(splits, resolveHttpRoute(object, index, findings));
  }
  for (const source of new Set(splits.map((split) => split.virtualService))) append(findings, annotationFindings(source));
  reportSharedMeshDestinations(splits, findings);
  reportSharedMeshHosts(splits, findings);
  if (splits.length === 0 && !findings.some((item) => item.level === 'error')) {
    findings.push(finding('MS004', {}, 'no VirtualService or HTTPRoute with weighted destinations found in the input; point -f at your manifests'));
  }
  splits.sort(compareSplits);
  return { splits, gateways: [...index.gateways.values()], findings: findings.sort(compareFindings) };
}

/** Two objects can conflict only where both are visible (exportTo). */
function visibleTogether(a: SplitSource, b: SplitSource): boolean {
  if (a.exportTo === null || b.exportTo === null) return true;
  const namespaces = exportSet(b);
  return a.exportTo.some((namespace) => namespaces.has(namespace));
}

/** A source's exportTo as a set, made once (lists of thousands, compared pair by pair, were quadratic). */
const exportSet = oncePer((source: SplitSource): ReadonlySet<string> => new Set(source.exportTo));

function compareSplits(a: DeclaredSplit, b: DeclaredSplit): number {
  const x = a.virtualService;
  const y = b.virtualService;
  return (
    x.namespace.localeCompare(y.namespace) ||
    x.name.localeCompare(y.name) ||
    x.kind.localeCompare(y.kind) ||
    (a.binding === MESH ? -1 : 0) - (b.binding === MESH ? -1 : 0) ||
    a.binding.localeCompare(b.binding) ||
    PROTOCOL_ORDER[a.route.protocol] - PROTOCOL_ORDER[b.route.protocol] ||
    a.route.index - b.route.index
  );
}

/**
 * Sidecar traffic carries no trace of which VirtualService routed it, so two mesh-bound ones
 * sending to the same Service make attribution ambiguous.
 */
function reportSharedMeshDestinations(splits: DeclaredSplit[], findings: Finding[]): void {
  const owners = new Map<string, DeclaredSplit>();
  const reported = new Set<string>();
  for (const split of splits) {
    if (split.binding !== MESH) continue;
    const source = split.virtualService;
    const id = sourceLabel(source);
    for (const destination of split.destinations) {
      const owner = owners.get(destination.host);
      if (!owner) {
        owners.set(destination.host, split);
        continue;
      }
      const ownerId = sourceLabel(owner.virtualService);
      const key = `${id}|${ownerId}|${destination.host}`;
      if (ownerId === id || reported.has(key) || !visibleTogether(owner.virtualService, source)) continue;
      reported.add(key);
      findings.push(
        finding('MS106', { object: id, file: destination.file, line: destination.line }, `${ownerId} also sends mesh traffic to ${destination.host}; the metrics cannot tell which one routed a request — merge them or bind one to a Gateway`),
      );
    }
  }
}

/**
 * The VirtualServices that claimed a host so far, indexed so that the first one visible
 * together with a newcomer is found without a scan of them all (a thousand claimants exported
 * to as many namespaces made a scan quadratic).
 */
class HostOwners {
  private count = 0;
  private first: { source: SplitSource; order: number } | undefined;
  /** The first claimant exported everywhere. */
  private everywhere: { source: SplitSource; order: number } | undefined;
  /** The first claimant exported to each namespace. */
  private readonly byNamespace = new Map<string, { source: SplitSource; order: number }>();

  add(source: SplitSource): void {
    const entry = { source, order: this.count++ };
    this.first ??= entry;
    if (source.exportTo === null) this.everywhere ??= entry;
    else for (const namespace of source.exportTo) if (!this.byNamespace.has(namespace)) this.byNamespace.set(namespace, entry);
  }

  /** The earliest claimant `visibleTogether` with `source`. */
  firstVisibleWith(source: SplitSource): SplitSource | undefined {
    if (source.exportTo === null) return this.first?.source;
    let best = this.everywhere;
    for (const namespace of source.exportTo) {
      const entry = this.byNamespace.get(namespace);
      if (entry && (!best || entry.order < best.order)) best = entry;
    }
    return best?.source;
  }
}

/** Istio applies only one mesh-bound VirtualService per host (istioctl's IST0109). */
function reportSharedMeshHosts(splits: DeclaredSplit[], findings: Finding[]): void {
  const owners = new Map<string, HostOwners>();
  const seen = new Set<string>();
  for (const { virtualService: source, binding } of splits) {
    const id = sourceLabel(source);
    if (binding !== MESH || source.kind !== 'VirtualService' || seen.has(id)) continue;
    seen.add(id);
    for (const host of source.hosts) {
      let earlier = owners.get(host);
      if (!earlier) owners.set(host, (earlier = new HostOwners()));
      const owner = earlier.firstVisibleWith(source);
      earlier.add(source);
      if (owner) {
        findings.push(
          finding('MS111', { object: id, file: source.file, line: source.line }, `VirtualService ${owner.namespace}/${owner.name} also claims host ${host} for the mesh; Istio applies only one of them (the oldest) — delete or merge one`),
        );
      }
    }
  }
}
