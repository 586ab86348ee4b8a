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

/**
 * Values by host pattern (a name, `*.suffix` or `*`; the first value of a pattern is kept),
 * matched as Istio picks among them: the host itself, else the longest wildcard that matches it.
 * The host's own wildcards are looked up, so matching never scans every pattern (thousands of
 * wildcard DestinationRules or ServiceEntry hosts made that quadratic).
 */
export class HostPatterns<T> {
  private readonly byPattern = new Map<string, T>();
  /** The wildcards alone, scanned for a host too long to list its own. */
  private readonly wildcards: string[] = [];

  add(pattern: string, value: T): void {
    if (this.byPattern.has(pattern)) return;
    this.byPattern.set(pattern, value);
    if (pattern.startsWith('*')) this.wildcards.push(pattern);
  }

  match(host: string): T | undefined {
    const exact = this.byPattern.get(host);
    if (exact !== undefined || this.wildcards.length === 0) return exact;
    const own = wildcardsFor(host);
    if (own) {
      for (const pattern of own) {
        const value = this.byPattern.get(pattern);
        if (value !== undefined) return value;
      }
      return undefined;
    }
    let longest: string | undefined;
    for (const pattern of this.wildcards) {
      if (hostMatches(pattern, host) && pattern.length > (longest?.length ?? 0)) longest = pattern;
    }
    return longest === undefined ? undefined : this.byPattern.get(longest);
  }
}

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
