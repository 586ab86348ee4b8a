import { finding, objectLabel, type Finding } from '../model/findings.js';
import type { ManifestObject } from '../model/manifest.js';
import { httpRouteSchema } from '../model/schemas.js';
import { MESH, type Binding, type DeclaredSplit, type SplitSource } from '../model/split.js';
import { serviceFqdn } from './hosts.js';
import { unknownHostFinding, type MeshIndex } from './mesh-index.js';
import { validate } from './validate.js';
import { annotationLines } from './annotations.js';
import { backendPercents } from './weights.js';

/**
 * Resolves a Gateway API HTTPRoute: a parent Service (GAMMA) means mesh traffic, a parent
 * Gateway means traffic through it; each rule's backendRefs split by weight (default 1).
 */
export function resolveHttpRoute(object: ManifestObject, index: MeshIndex, findings: Finding[]): DeclaredSplit[] {
  const body = validate(object, httpRouteSchema, findings);
  if (!body) return [];
  const { namespace, positions } = object;
  const label = objectLabel('HTTPRoute', namespace, object.name);
  const place = (node: unknown, key?: string | number) => ({ object: label, file: object.file, line: positions.lineOf(node, key) ?? object.line });

  const bindings: Binding[] = [
    ...new Set(
      (body.spec.parentRefs ?? []).map((parent) =>
        (parent.kind ?? 'Gateway') === 'Service' ? MESH : `${parent.namespace ?? namespace}/${parent.name}`,
      ),
    ),
  ];
  if (bindings.length === 0) {
    findings.push(finding('MS204', place(body.spec), 'HTTPRoute has no parentRefs, so it routes nothing; attach it to a Gateway or Service'));
    return [];
  }
  const source: SplitSource = {
    kind: 'HTTPRoute',
    name: object.name,
    namespace,
    file: object.file,
    line: object.line,
    hosts: body.spec.hostnames ?? [],
    exportTo: null,
    annotations: body.metadata.annotations ?? {},
    annotationLines: annotationLines(object),
  };
  const rules = body.spec.rules ?? [];
  const splits: DeclaredSplit[] = [];
  rules.forEach((rule, position) => {
    const backends = rule.backendRefs ?? [];
    if (backends.length === 0) return;
    const rulePlace = place(rules, position);
    if (backends.some((backend) => (backend.kind ?? 'Service') !== 'Service' || (backend.group ?? '') !== '')) {
      findings.push(finding('MS204', rulePlace, `rules[${position}] has backends that are not Services; mesh-split only follows Services`));
      return;
    }
    const percents = backendPercents(backends.map((backend) => backend.weight));
    if (!percents) {
      findings.push(finding('MS103', rulePlace, `rules[${position}] gives every backend weight 0, so requests fail with 500; give one a positive weight`));
      return;
    }
    const destinations = backends.map((backend, backendPosition) => {
      const host = serviceFqdn(backend.name, backend.namespace ?? namespace);
      const line = positions.lineOf(backend, 'weight') ?? positions.lineOf(backends, backendPosition) ?? rulePlace.line;
      if (index.servicesGiven && !index.isKnownHost(host)) {
        findings.push(unknownHostFinding(host, host, { ...rulePlace, line }, index));
      }
      return {
        host,
        subset: null,
        version: index.serviceVersion(host),
        weight: backend.weight ?? 1,
        declaredPercent: percents[backendPosition] ?? 0,
        file: object.file,
        line,
      };
    });
    for (const binding of bindings) {
      splits.push({
        virtualService: source,
        binding,
        route: {
          index: position,
          name: rule.name ?? null,
          protocol: 'http',
          conditional: isConditional(rule.matches),
          line: rulePlace.line,
        },
        destinations,
      });
    }
  });
  return splits;
}

/** No matches, or a match on the default `PathPrefix /` alone, takes every request. */
function isConditional(matches: readonly Record<string, unknown>[] | null | undefined): boolean {
  if (!matches?.length) return false;
  return !matches.some((match) => {
    const keys = Object.keys(match).filter((key) => match[key] != null);
    if (keys.length === 0) return true;
    const path = match.path as { type?: string; value?: string } | undefined;
    return keys.length === 1 && keys[0] === 'path' && (path?.type ?? 'PathPrefix') === 'PathPrefix' && (path?.value ?? '/') === '/';
  });
}
