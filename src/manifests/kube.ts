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

const RESOURCES = [
  'virtualservices.networking.istio.io',
  'destinationrules.networking.istio.io',
  'gateways.networking.istio.io',
  'serviceentries.networking.istio.io',
  'services',
];
const HTTPROUTES = 'httproutes.gateway.networking.k8s.io';

/** What kubectl prints when a CRD is not installed in the cluster. */
const MISSING_RESOURCE = /doesn't have a resource type|no matches for kind|could not find the requested resource/i;

/** The kubectl arguments for one read of everything mesh-split needs. */
export function kubectlArguments(options: KubeOptions, withHttpRoutes: boolean): string[] {
  const args = ['get', [...RESOURCES, ...(withHttpRoutes ? [HTTPROUTES] : [])].join(','), '-o', 'json'];
  if (options.context) args.push('--context', options.context);
  if (options.allNamespaces) args.push('--all-namespaces');
  else if (options.namespace) args.push('--namespace', options.namespace);
  return args;
}

/**
 * Reads live objects through `kubectl get … -o json`. A cluster without the Gateway API CRDs
 * is normal, so a missing HTTPRoute resource type means "read again without it".
 */
export async function readFromKube(options: KubeOptions): Promise<string> {
  const run = (withHttpRoutes: boolean) => runKubectl(options.kubectl ?? 'kubectl', kubectlArguments(options, withHttpRoutes), options.timeoutMs);
  try {
    return await run(true);
  } catch (error) {
    if (error instanceof KubectlFailed && MISSING_RESOURCE.test(error.stderr) && /httproute/i.test(error.stderr)) return run(false);
    throw error;
  }
}
