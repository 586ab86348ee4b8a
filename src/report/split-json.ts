import type { DeclaredDestination, DeclaredRoute, DeclaredSplit, SplitSource } from '../model/split.js';

/** The JSON schema version of every report; bump on incompatible changes. */
export const SCHEMA_VERSION = 1;

/** SPEC §7 field names for what is known before any metrics. */
export function splitJson(split: DeclaredSplit) {
  return {
    virtualService: sourceJson(split.virtualService),
    binding: split.binding,
    route: routeJson(split.route),
    destinations: split.destinations.map(destinationJson),
  };
}

export function sourceJson(source: SplitSource) {
  return { kind: source.kind, name: source.name, namespace: source.namespace, file: source.file, line: source.line };
}

export function routeJson(route: DeclaredRoute) {
  return { index: route.index, name: route.name, protocol: route.protocol, conditional: route.conditional };
}

export function destinationJson(destination: DeclaredDestination) {
  return {
    host: destination.host,
    subset: destination.subset,
    version: destination.version,
    weight: destination.weight,
    declaredPercent: destination.declaredPercent,
    line: destination.line,
  };
}
