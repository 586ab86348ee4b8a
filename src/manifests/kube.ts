import { finding, type Finding } from '../model/findings.js';
import { KubectlFailed, runKubectl } from './kubectl.js';

export interface KubeOptions {
  context?: string;
  /** Namespace to read; undefined means kubectl's own (the context's) namespace. */
  namespace?: string;
  allNamespaces?: boolean;
  /** The kubectl executable; found on PATH by default. */
  kubectl?: string;
  /** How long one kubectl run may take before it is stopped (default 120 s). */
  timeoutMs?: number;
}

/** What declares the routes: read in the namespace asked for. */
const ROUTES = ['virtualservices.networking.istio.io'];
/**
 * What Istio looks up to apply those routes, wherever it lives: a destination's DestinationRule
 * in the caller's, the host's or the root namespace, Gateways and ServiceEntries anywhere.
 */
const ROUTING_CONTEXT = [
  'destinationrules.networking.istio.io',
  'gateways.networking.istio.io',
  'serviceentries.networking.istio.io',
  'services',
];
/** Routes too, but optional: many clusters have no Gateway API, or do not let us list them. */
const HTTPROUTES = 'httproutes.gateway.networking.k8s.io';

/** What kubectl prints when a CRD is not installed in the cluster. */
const MISSING_RESOURCE = /doesn't have a resource type|no matches for kind|could not find the requested resource/i;
/** What kubectl prints when RBAC does not let us list a resource. */
const FORBIDDEN = /\(Forbidden\)|\bis forbidden\b/i;

/** kubectl's output for one reading, one text per call, and what it could not read. */
export interface KubeReading {
  outputs: string[];
  /** MS206: objects left out, or read in fewer namespaces, because listing them is forbidden. */
  findings: Finding[];
}

/** The kubectl arguments for one call: `everyNamespace` for the routing context, or with -A. */
export function kubectlArguments(options: KubeOptions, resources: readonly string[], everyNamespace: boolean): string[] {
  const args = ['get', resources.join(','), '-o', 'json'];
  if (options.context) args.push('--context', options.context);
  if (everyNamespace) args.push('--all-namespaces');
  else if (options.namespace) args.push('--namespace', options.namespace);
  return args;
}

/** Reads live objects once through `kubectl get … -o json`. */
export function readFromKube(options: KubeOptions): Promise<KubeReading> {
  return kubeReader(options)();
}

/**
 * A reader of live objects for as many readings as wanted. With -A, one kubectl call for
 * everything. Otherwise two, run side by side: the routes of the namespace, and their routing
 * context from every namespace — a VirtualService in `shop` routes by a DestinationRule in
 * `backend` — or, where namespace-scoped RBAC forbids that, from the routes' namespace, said
 * by an MS206. HTTPRoutes are left out where the cluster has none or forbids listing them.
 * What the cluster refused once is not asked again: a watch reads on every refresh.
 */
export function kubeReader(options: KubeOptions): () => Promise<KubeReading> {
  let httpRoutes: 'ask' | 'missing' | 'forbidden' = 'ask';
  let contextEverywhere = true;
  const run = (resources: readonly string[], everyNamespace: boolean) =>
    runKubectl(options.kubectl ?? 'kubectl', kubectlArguments(options, resources, everyNamespace), options.timeoutMs);

  const withHttpRoutes = async (resources: readonly string[], everyNamespace: boolean): Promise<string> => {
    if (httpRoutes === 'ask') {
      try {
        return await run([...resources, HTTPROUTES], everyNamespace);
      } catch (error) {
        const refusal = httpRoutesRefusal(error);
        if (!refusal) throw error;
        httpRoutes = refusal;
      }
    }
    return run(resources, everyNamespace);
  };

  const routingContext = async (): Promise<string> => {
    if (contextEverywhere) {
      try {
        return await run(ROUTING_CONTEXT, true);
      } catch (error) {
        if (!(error instanceof KubectlFailed && FORBIDDEN.test(error.stderr))) throw error;
        contextEverywhere = false;
      }
    }
    return run(ROUTING_CONTEXT, false);
  };

  const where = options.allNamespaces ? 'any namespace' : namespaceName(options);
  return async () => {
    const outputs = options.allNamespaces
      ? [await withHttpRoutes([...ROUTES, ...ROUTING_CONTEXT], true)]
      : await Promise.all([withHttpRoutes(ROUTES, false), routingContext()]);
    const findings: Finding[] = [];
    if (httpRoutes === 'forbidden') {
      findings.push(finding('MS206', { file: 'kubectl' }, `listing HTTPRoutes is forbidden; read without them, so HTTPRoutes in ${where} are not checked`));
    }
    if (!contextEverywhere) {
      findings.push(
        finding(
          'MS206',
          { file: 'kubectl' },
          `listing DestinationRules, Gateways, ServiceEntries and Services in every namespace is forbidden; read in ${where} only, so subsets, Services and Gateways defined in other namespaces are not seen (MS101, MS102 and MS107 may follow from that)`,
        ),
      );
    }
    return { outputs, findings };
  };
}

function namespaceName(options: KubeOptions): string {
  return options.namespace ? `namespace ${options.namespace}` : "kubectl's current namespace";
}

/** Whether kubectl failed only because HTTPRoutes cannot be listed, and why. */
function httpRoutesRefusal(error: unknown): 'missing' | 'forbidden' | null {
  if (!(error instanceof KubectlFailed)) return null;
  const lines = error.stderr.split('\n').filter((line) => /httproutes/i.test(line));
  if (lines.some((line) => MISSING_RESOURCE.test(line))) return 'missing';
  if (lines.some((line) => FORBIDDEN.test(line))) return 'forbidden';
  return null;
}

/** Two readings that would load the same: the watch parses again only when they differ. */
export function sameKubeReading(a: KubeReading | null, b: KubeReading | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.outputs.length === b.outputs.length &&
    a.outputs.every((output, index) => output === b.outputs[index]) &&
    a.findings.map((item) => item.message).join('\n') === b.findings.map((item) => item.message).join('\n')
  );
}
