import { MESH, type Binding } from '../model/split.js';

export const CLUSTER_DOMAIN = 'svc.cluster.local';

/**
 * Istio's short-name rule: a name without a dot means a Service in the object's own namespace;
 * anything with a dot is taken as written (`helloworld.default` is NOT expanded).
 */
export function expandHost(host: string, namespace: string): string {
  if (host.includes('.') || host.includes('*')) return host;
  return `${host}.${namespace}.${CLUSTER_DOMAIN}`;
}

export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.${CLUSTER_DOMAIN}`;
}

/**
 * The wildcard patterns `hostMatches` accepts for `host`, most specific first: `*.suffix` for
 * each of its dots, then `*` — so a pattern is found by lookups instead of a scan of them all.
 * Null for a host longer than a DNS name may be, whose patterns would be too many to list.
 */
export function wildcardsFor(host: string): string[] | null {
  if (host.length > MAX_HOST_LENGTH) return null;
  const patterns: string[] = [];
  for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) patterns.push(`*${host.slice(dot)}`);
  patterns.push('*');
  return patterns;
}

const MAX_HOST_LENGTH = 253;

/** `*.example.com` matches `a.example.com` (and deeper names), `*` matches everything. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1));
}

/**
 * A VirtualService's gateway reference as `namespace/name`: `ns/name`, a bare name in the
 * VirtualService's namespace, or the legacy `name.namespace.svc.cluster.local` form.
 */
export function resolveGatewayReference(reference: string, namespace: string): Binding {
  if (reference === MESH) return MESH;
  const slash = reference.indexOf('/');
  if (slash >= 0) {
    // `./name` and `/name` both mean the VirtualService's own namespace.
    const prefix = reference.slice(0, slash);
    return `${prefix === '' || prefix === '.' ? namespace : prefix}/${reference.slice(slash + 1)}`;
  }
  const [name, gatewayNamespace] = reference.split('.');
  return `${gatewayNamespace || namespace}/${name}`;
}
