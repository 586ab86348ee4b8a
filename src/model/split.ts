import { objectLabel, type Finding } from './findings.js';

export type Protocol = 'http' | 'tcp' | 'tls';

/** `mesh` (sidecar traffic) or `namespace/name` of the gateway whose traffic the route applies to. */
export type Binding = string;
export const MESH: Binding = 'mesh';

/** The object that declares a split: an Istio VirtualService or a Gateway API HTTPRoute. */
export interface SplitSource {
  kind: 'VirtualService' | 'HTTPRoute';
  name: string;
  namespace: string;
  file: string;
  line: number;
  /** The hosts it routes (VirtualService `hosts`, expanded; HTTPRoute `hostnames`). */
  hosts: string[];
  /** Namespaces whose sidecars apply it (VirtualService `exportTo`); null means every one. */
  exportTo: string[] | null;
  annotations: Record<string, string>;
  /** Line of each annotation, for findings about them. */
  annotationLines: Record<string, number>;
}

/** `VirtualService namespace/name`, as findings name an object. */
export function sourceLabel(source: Pick<SplitSource, 'kind' | 'namespace' | 'name'>): string {
  return objectLabel(source.kind, source.namespace, source.name);
}

export interface DeclaredRoute {
  /** Position in the object's `http`, `tcp`, `tls` (or HTTPRoute `rules`) list. */
  index: number;
  name: string | null;
  protocol: Protocol;
  /** The route only takes requests matching conditions, so metrics mix it with its siblings. */
  conditional: boolean;
  line: number;
}

/** One destination of a route as Istio would apply it. */
export interface DeclaredDestination {
  /** Service FQDN as the metrics' `destination_service` label shows it. */
  host: string;
  subset: string | null;
  /** The version the metrics see, or null for "any version of that Service". */
  version: string | null;
  /** The weight as written (100 for a lone destination without one, 0 for an omitted one). */
  weight: number;
  declaredPercent: number;
  file: string;
  /** Line of the weight (or of the destination when it has no weight). */
  line: number;
}

/** A route's declared split for one binding. */
export interface DeclaredSplit {
  virtualService: SplitSource;
  binding: Binding;
  route: DeclaredRoute;
  destinations: DeclaredDestination[];
}

/** An Istio Gateway, for attributing ingress traffic to the gateway's workload. */
export interface GatewayInfo {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  file: string;
  line: number;
}

export interface Resolution {
  splits: DeclaredSplit[];
  gateways: GatewayInfo[];
  findings: Finding[];
}
