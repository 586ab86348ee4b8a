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
 * Values by host pattern (a name, `*.suffix` or `*`; the first value of a pattern is kept),
 * matched as Istio picks among them: the host itself, else the longest wildcard that matches it.
 * Wildcards sit in a tree of their labels read from the right, so matching walks the host's
 * labels once: linear in the host's length however many patterns there are (a scan of the
 * patterns for each host made thousands of wildcard DestinationRules or ServiceEntry hosts
 * quadratic, and listing a host's own `*.suffix` patterns is quadratic in a long host).
 */
export class HostPatterns<T> {
  private readonly byPattern = new Map<string, T>();
  /** `*.suffix` patterns by the suffix's labels, last label first. */
  private readonly suffixes = new SuffixNode<T>();
  private any: T | undefined;

  add(pattern: string, value: T): void {
    if (this.byPattern.has(pattern)) return;
    this.byPattern.set(pattern, value);
    if (pattern === '*') this.any = value;
    // `*foo.com` (no dot after the star) matches only itself, like any name.
    else if (pattern.startsWith('*.')) this.suffixes.insert(pattern.slice(2).split('.').reverse(), value);
  }

  /**
   * `*.S` matches a host that ends with `.S`: its last labels are S's and at least one label
   * (perhaps empty) comes before them. The deepest such node is the longest pattern.
   */
  match(host: string): T | undefined {
    const exact = this.byPattern.get(host);
    if (exact !== undefined) return exact;
    let node: SuffixNode<T> | undefined = this.suffixes;
    let longest = this.any;
    let end = host.length;
    for (;;) {
      const dot = end === 0 ? -1 : host.lastIndexOf('.', end - 1);
      node = node.children.get(host.slice(dot + 1, end));
      // No label left before this one: a pattern this deep would need one.
      if (node === undefined || dot === -1) break;
      if (node.value !== undefined) longest = node.value;
      end = dot;
    }
    return longest;
  }
}

class SuffixNode<T> {
  readonly children = new Map<string, SuffixNode<T>>();
  value: T | undefined;

  insert(labels: readonly string[], value: T): void {
    let node: SuffixNode<T> = this;
    for (const label of labels) {
      let child = node.children.get(label);
      if (!child) node.children.set(label, (child = new SuffixNode()));
      node = child;
    }
    // One node per pattern text, and `add` takes each pattern once.
    node.value = value;
  }
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
