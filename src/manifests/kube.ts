import { execFile } from 'node:child_process';
import { ManifestInputError } from './errors.js';
import { LIMITS } from './limits.js';

export interface KubeOptions {
  context?: string;
  /** Namespace to read; undefined means kubectl's own (the context's) namespace. */
  namespace?: string;
  allNamespaces?: boolean;
  /** The kubectl executable; found on PATH by default. */
  kubectl?: string;
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
  try {
    return await runKubectl(options, kubectlArguments(options, true));
  } catch (error) {
    if (error instanceof KubectlFailed && MISSING_RESOURCE.test(error.stderr) && /httproute/i.test(error.stderr)) {
      return runKubectl(options, kubectlArguments(options, false));
    }
    if (error instanceof KubectlFailed) {
      throw new ManifestInputError(`kubectl failed: ${firstLine(error.stderr) || `exit code ${error.code}`}`);
    }
    throw error;
  }
}

class KubectlFailed extends Error {
  constructor(
    readonly code: number | string | null,
    readonly stderr: string,
  ) {
    super('kubectl failed');
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}

function runKubectl(options: KubeOptions, args: string[]): Promise<string> {
  const kubectl = options.kubectl ?? 'kubectl';
  return new Promise((resolve, reject) => {
    execFile(
      kubectl,
      args,
      { maxBuffer: LIMITS.sourceBytes, timeout: 120_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          return reject(new ManifestInputError(`kubectl not found on PATH; install it, or read files with -f`));
        }
        if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(new ManifestInputError(`kubectl printed more than ${LIMITS.sourceBytes} bytes; narrow it with -n`));
        }
        if (error.killed) return reject(new ManifestInputError('kubectl did not finish within 120 s'));
        reject(new KubectlFailed(code ?? null, stderr));
      },
    );
  });
}
