import { oncePer } from '../memo.js';
import { finding, objectLabel, type Finding } from '../model/findings.js';
import { formatPercent } from '../model/percent.js';
import type { ManifestObject } from '../model/manifest.js';
import { virtualServiceSchema, type IstioRoute, type VirtualServiceBody } from '../model/schemas.js';
import { MESH, type Binding, type DeclaredDestination, type DeclaredSplit, type Protocol, type SplitSource } from '../model/split.js';
import { subsetVersion, type Place } from './destinations.js';
import { expandHost, resolveGatewayReference } from './hosts.js';
import { unknownHostFinding, type MeshIndex } from './mesh-index.js';
import { validate } from './validate.js';
import { declaredPercents } from './weights.js';
import { annotationLines } from './annotations.js';

const PROTOCOLS: readonly Protocol[] = ['http', 'tcp', 'tls'];

/** Match fields that do not restrict which requests a route takes. */
const NOT_CONDITIONS = new Set(['gateways', 'name', 'ignoreUriCase']);

type Match = NonNullable<IstioRoute['match']>[number];

/** Resolves one VirtualService into declared splits, one per (binding, route with destinations). */
export function resolveVirtualService(object: ManifestObject, index: MeshIndex, findings: Finding[]): DeclaredSplit[] {
  const body = validate(object, virtualServiceSchema, findings);
  if (!body) return [];
  const delegatedBy = index.delegatedBy(object.namespace, object.name);
  const { spec } = body;
  const { namespace, positions } = object;
  const label = objectLabel('VirtualService', namespace, object.name);
  const at = (node: unknown, key?: string | number): Place => ({
    object: label,
    file: object.file,
    line: positions.lineOf(node, key) ?? object.line,
  });

  if (delegatedBy) {
    // A delegate applies only through its root's gateways and matches, never on its own.
    findings.push(finding('MS204', at(object.body), `delegate of ${delegatedBy}: its routes apply only through that VirtualService, which mesh-split does not follow; not judged on its own`));
    return [];
  }
  const hosts = spec.hosts ?? [];
  if (hosts.length === 0) {
    findings.push(finding('MS003', at(spec, 'hosts'), 'spec.hosts must name at least one host (only a delegate, referenced by another VirtualService, may omit them); add the host this VirtualService routes'));
    return [];
  }

  // `gateways` omitted (or empty) means the mesh: sidecar-originated traffic.
  const references = spec.gateways?.length ? spec.gateways : [MESH];
  const bindings = [...new Set(references.map((reference) => resolveGatewayReference(reference, namespace)))];
  spec.gateways?.forEach((reference, position) => {
    const binding = resolveGatewayReference(reference, namespace);
    if (binding !== MESH && index.gatewaysGiven && !index.gateways.has(binding)) {
      findings.push(
        finding('MS107', at(spec.gateways, position), `Gateway ${binding} is not in the input; add its manifest or fix the reference (traffic through it cannot be attributed)`),
      );
    }
  });

  const rejections = istioRejections(spec, at);
  if (rejections.length > 0) {
    for (const { place, message } of rejections) findings.push(finding('MS003', place, `${message}; Istio rejects this VirtualService, so it routes nothing`));
    return [];
  }

  const wildcard = hosts.indexOf('*');
  if (wildcard >= 0 && bindings.includes(MESH)) {
    findings.push(
      finding('MS104', at(spec.hosts, wildcard), 'wildcard host * is not allowed for virtual services bound to the mesh gateway; name the host, or bind to a Gateway'),
    );
    return [];
  }

  const source: SplitSource = {
    kind: 'VirtualService',
    name: object.name,
    namespace,
    file: object.file,
    line: object.line,
    hosts: hosts.map((host) => expandHost(host, namespace)),
    exportTo: exportedTo(body.spec.exportTo, namespace),
    annotations: body.metadata.annotations ?? {},
    annotationLines: annotationLines(object),
  };
  const splits: DeclaredSplit[] = [];
  const resolved = new Map<IstioRoute, DeclaredDestination[] | null>();
  const unreachable = new Map<IstioRoute, { place: Place; message: string }>();
  const reportedHosts = new Set<string>();
  const mixed = new Set<string>();

  const delegating = new Set<IstioRoute>();
  for (const protocol of PROTOCOLS) {
    const routes = spec[protocol] ?? [];
    // Routes after a binding's catch-all never see its traffic. Those without a match are lost
    // to every binding alike, so each is recorded once, by the first binding it is lost to (not
    // once per binding: N gateways × N such routes took 31 s at 12,000).
    const withMatch = routes.flatMap((route, position) => (route.match?.length ? [position] : []));
    let unmatchedRecordedFrom = routes.length;
    const lost = (position: number, binding: Binding, catchAll: number) => {
      const route = routes[position]!;
      if (!unreachable.has(route)) unreachable.set(route, { place: at(routes, position), message: `${protocol}[${position}] is never used for ${binding} traffic: ${protocol}[${catchAll}] before it takes every request; remove or reorder it` });
    };
    for (const binding of bindings) {
      let catchAll: number | null = null;
      for (let position = 0; position < routes.length && catchAll === null; position++) {
        const route = routes[position]!;
        if (!appliesTo(route.match, binding, namespace)) continue;
        const routeConditional = hasConditions(route.match, binding, namespace);
        if (!routeConditional) catchAll = position;
        if (route.delegate && !delegating.has(route)) {
          delegating.add(route);
          findings.push(finding('MS204', at(routes, position), `${protocol}[${position}] delegates to VirtualService ${route.delegate.name}, which mesh-split does not follow; check that one directly`));
        }
        if (!route.route?.length) continue;
        if (!resolved.has(route)) resolved.set(route, resolveDestinations(route, at(routes, position), index, object, findings, reportedHosts));
        const destinations = resolved.get(route);
        if (!destinations) continue;
        if (routeConditional) mixed.add(`${binding}|${protocol}`);
        splits.push({
          virtualService: source,
          binding,
          route: {
            index: position,
            name: route.name ?? null,
            protocol,
            conditional: routeConditional,
            line: positions.lineOf(routes, position) ?? object.line,
          },
          destinations,
        });
      }
      if (catchAll === null) continue;
      for (let position = catchAll + 1; position < unmatchedRecordedFrom; position++) {
        if (!routes[position]!.match?.length) lost(position, binding, catchAll);
      }
      unmatchedRecordedFrom = Math.min(unmatchedRecordedFrom, catchAll + 1);
      for (const position of withMatch) {
        if (position > catchAll && appliesTo(routes[position]!.match, binding, namespace)) lost(position, binding, catchAll);
      }
    }
  }

  for (const { place, message } of unreachable.values()) findings.push(finding('MS108', place, message));
  // Metrics mix routes only when a binding has several of them with destinations.
  const counts = new Map<string, number>();
  for (const split of splits) counts.set(`${split.binding}|${split.route.protocol}`, (counts.get(`${split.binding}|${split.route.protocol}`) ?? 0) + 1);
  if ([...mixed].some((key) => (counts.get(key) ?? 0) > 1)) {
    findings.push(
      finding('MS203', at(object.body), 'routes with match conditions: metrics cannot tell which route a request took, so the observed split is judged against the closest mix of the routes\' splits'),
    );
  }
  if ((spec.tcp?.length ?? 0) + (spec.tls?.length ?? 0) > 0) {
    findings.push(finding('MS202', at(object.body), 'TCP/TLS weights split connections, not requests; they are compared with istio_tcp_connections_opened_total'));
  }
  return splits;
}

/**
 * What Istio's own validation (the admission webhook) refuses beyond the schema, for the parts
 * mesh-split reads: such a VirtualService never reaches a proxy. Duplicate hosts are compared
 * as written (Istio also counts a wildcard that covers another host).
 */
function istioRejections(spec: VirtualServiceBody['spec'], at: (node: unknown, key?: string | number) => Place): { place: Place; message: string }[] {
  const rejections: { place: Place; message: string }[] = [];
  const seen = new Set<string>();
  spec.hosts?.forEach((host, position) => {
    if (seen.has(host)) rejections.push({ place: at(spec.hosts, position), message: `host ${host} is listed twice` });
    seen.add(host);
  });
  if (!spec.http?.length && !spec.tcp?.length && !spec.tls?.length) {
    rejections.push({ place: at(spec), message: 'no http, tcp or tls routes' });
  }
  spec.http?.forEach((route, position) => {
    if (!(route.route?.length || route.delegate || route.redirect || route.directResponse)) {
      rejections.push({ place: at(spec.http, position), message: `http[${position}] has no route, redirect, directResponse or delegate` });
    }
  });
  spec.tcp?.forEach((route, position) => {
    if (!route.route?.length) rejections.push({ place: at(spec.tcp, position), message: `tcp[${position}] has no route` });
  });
  spec.tls?.forEach((route, position) => {
    if (!route.route?.length) rejections.push({ place: at(spec.tls, position), message: `tls[${position}] has no route` });
    if (!route.match?.length) rejections.push({ place: at(spec.tls, position), message: `tls[${position}] has no match (a TLS route needs at least one, with sniHosts)` });
    route.match?.forEach((match, index) => {
      if (!match.sniHosts?.length) rejections.push({ place: at(route.match, index), message: `tls[${position}] match[${index}] has no sniHosts` });
    });
  });
  return rejections;
}

function matchesBinding(match: Match, binding: Binding, namespace: string): boolean {
  return !match.gateways?.length || matchBindings(match, namespace).has(binding);
}

/**
 * The bindings a match's `gateways` name, resolved once per match and namespace (it is asked
 * once per binding of its VirtualService: 5,000 gateways named in both took 4 s). Usually one
 * namespace per match, but a YAML alias may share one match between VirtualServices anywhere.
 */
function matchBindings(match: Match, namespace: string): ReadonlySet<Binding> {
  const byNamespace = bindingsByNamespace(match);
  let bindings = byNamespace.get(namespace);
  if (!bindings) byNamespace.set(namespace, (bindings = new Set((match.gateways ?? []).map((reference) => resolveGatewayReference(reference, namespace)))));
  return bindings;
}

const bindingsByNamespace = oncePer((_match: Match) => new Map<string, ReadonlySet<Binding>>());

function appliesTo(matches: IstioRoute['match'], binding: Binding, namespace: string): boolean {
  return !matches?.length || matches.some((match) => matchesBinding(match, binding, namespace));
}

/** `uri: {prefix: "/"}` matches every request, so it restricts nothing. */
function isCondition(key: string, value: unknown): boolean {
  if (NOT_CONDITIONS.has(key) || value === null || value === undefined) return false;
  return !(key === 'uri' && typeof value === 'object' && Object.keys(value).length === 1 && (value as { prefix?: unknown }).prefix === '/');
}

/** True when every match entry that applies to this binding restricts the requests taken. */
function hasConditions(matches: IstioRoute['match'], binding: Binding, namespace: string): boolean {
  if (!matches?.length) return false;
  return matches
    .filter((match) => matchesBinding(match, binding, namespace))
    .every((match) => Object.entries(match).some(([key, value]) => isCondition(key, value)));
}

function resolveDestinations(
  route: IstioRoute,
  routePlace: Place,
  index: MeshIndex,
  object: ManifestObject,
  findings: Finding[],
  unknownHosts: Set<string>,
): DeclaredDestination[] | null {
  const entries = route.route ?? [];
  const { positions } = object;
  const percents = declaredPercents(entries.map((entry) => entry.weight));
  if (!percents) {
    findings.push(finding('MS103', routePlace, 'every destination of this route has weight 0 (or none); Istio rejects it — give at least one a positive weight'));
    return null;
  }
  const sum = entries.reduce((total, entry) => total + (entry.weight ?? 0), 0);
  if (entries.length > 1 && sum !== 100) {
    findings.push(finding('MS201', routePlace, `weights sum to ${sum}, not 100; Istio (1.15+) treats them as relative shares, so the declared split is ${percents.map(formatPercent).join('/')}`));
  }
  const undefinedSubsets = new Set<number>();
  const destinations = entries.map((entry, position): DeclaredDestination => {
    const line = positions.lineOf(entry, 'weight') ?? positions.lineOf(route.route, position) ?? routePlace.line;
    const place = { ...routePlace, line };
    const host = expandHost(entry.destination.host, object.namespace);
    const subset = entry.destination.subset ?? null;
    if (entries.length > 1 && entry.weight == null) {
      findings.push(finding('MS109', place, `destination ${host}${subset ? ` subset ${subset}` : ''} has no weight, so it gets no traffic; give it a weight or remove it`));
    }
    const hostPlace = { ...place, line: positions.lineOf(entry.destination, 'host') ?? line };
    if (index.servicesGiven && !index.isKnownHost(host) && !unknownHosts.has(host)) {
      unknownHosts.add(host);
      findings.push(unknownHostFinding(host, entry.destination.host, hostPlace, index));
    }
    let version = index.serviceVersion(host);
    if (subset) {
      const subsetPlace = { ...place, line: positions.lineOf(entry.destination, 'subset') ?? line };
      const resolved = subsetVersion(host, subset, object.namespace, index, subsetPlace, findings);
      if (!resolved.defined) undefinedSubsets.add(position);
      version = resolved.version;
    }
    return { host, subset, version, weight: entry.weight ?? (entries.length === 1 ? 100 : 0), declaredPercent: percents[position] ?? 0, file: object.file, line };
  });
  // An undefined subset is already an error; its unknown version says nothing more.
  reportIndistinguishable(destinations.filter((_, position) => !undefinedSubsets.has(position)), routePlace, findings);
  return destinations;
}

/**
 * A destination the metrics cannot tell from an earlier one (same Service, same or unknown
 * version), each against the first such: one finding a destination, not one a pair (a route
 * of a thousand copies of one destination made half a million).
 */
function reportIndistinguishable(destinations: DeclaredDestination[], place: Place, findings: Finding[]): void {
  /** Per host: the first destination, the first of any version, the first of each version. */
  const earlier = new Map<string, { first: number; anyVersion?: number; byVersion: Map<string, number> }>();
  destinations.forEach((b, position) => {
    const seen = earlier.get(b.host);
    if (!seen) {
      earlier.set(b.host, { first: position, ...(b.version === null ? { anyVersion: position } : {}), byVersion: new Map(b.version === null ? [] : [[b.version, position]]) });
      return;
    }
    const match = b.version === null ? seen.first : Math.min(seen.anyVersion ?? Infinity, seen.byVersion.get(b.version) ?? Infinity);
    if (b.version === null) seen.anyVersion ??= position;
    else if (!seen.byVersion.has(b.version)) seen.byVersion.set(b.version, position);
    const a = destinations[match];
    if (!a) return;
    findings.push(
      finding('MS110', { ...place, line: b.line }, `destinations ${describe(a)} and ${describe(b)} look the same in metrics (${a.host}, version ${b.version ?? a.version ?? 'any'}); give each subset its own version label`),
    );
  });
}

function describe(destination: DeclaredDestination): string {
  return destination.subset ? `subset "${destination.subset}"` : destination.host;
}

/** Namespaces whose sidecars see this VirtualService (`exportTo`; `.` is its own). Null: all. */
function exportedTo(exportTo: readonly string[] | null | undefined, namespace: string): string[] | null {
  if (!exportTo?.length || exportTo.includes('*')) return null;
  return [...new Set(exportTo.map((entry) => (entry === '.' ? namespace : entry)))];
}
