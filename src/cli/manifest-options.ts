import type { Argv } from 'yargs';
import { killRunningKubectl } from '../manifests/kubectl.js';
import type { LoadOptions } from '../manifests/load.js';
import type { Finding } from '../model/findings.js';
import { colorEnabled, palette } from '../report/color.js';
import { EXIT } from '../model/exit-codes.js';
import { UsageError } from './usage.js';

/**
 * A repeatable string option. Not yargs' `array: true`, which refuses values starting with a
 * dash — and `-f -` (stdin) is kubectl's convention. Repeats and env values become an array.
 */
export const repeatable = {
  type: 'string',
  requiresArg: true,
  coerce: (value: string | string[]) => [value].flat(),
} as const;

/** A single-valued option given twice: the last one wins, as with kubectl. */
export const single = {
  coerce: <T>(value: T | T[]): T => (Array.isArray(value) ? (value[value.length - 1] as T) : value),
} as const;

/** SPEC §3's options for reading manifests, shared by every command that reads them. */
export function withManifestOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('filename', {
      alias: 'f',
      ...repeatable,
      describe: 'Manifest file, directory (recursive) or - for stdin; repeatable',
    })
    .option('kube', { type: 'boolean', default: false, describe: 'Read live objects with kubectl instead of files' })
    .option('context', { ...single, type: 'string', requiresArg: true, describe: 'kubeconfig context for --kube' })
    .option('namespace', {
      ...single,
      alias: 'n',
      type: 'string',
      requiresArg: true,
      describe: 'Namespace for objects without one (default "default"); with --kube, the namespace to read',
    })
    .option('all-namespaces', { alias: 'A', type: 'boolean', default: false, describe: 'With --kube, read every namespace' })
    .option('fail-on', {
      ...single,
      choices: ['error', 'warning'] as const,
      default: 'error' as const,
      describe: 'Lowest finding level that fails: routes and check exit 65, watch shows it and retries',
    })
    .option('color', { type: 'boolean', default: true, describe: 'Colour the output (--no-color to disable; NO_COLOR is honoured)' })
    .check((argv) => {
      if (!argv.kube && (argv.context !== undefined || argv['all-namespaces'])) {
        throw new UsageError('--context and --all-namespaces only apply with --kube');
      }
      if ((argv.filename ?? []).some((file) => file === '')) throw new UsageError('-f needs a path');
      return true;
    });
}

export interface ManifestArguments {
  filename?: string[];
  kube: boolean;
  context?: string;
  namespace?: string;
  'all-namespaces': boolean;
  'fail-on': 'error' | 'warning';
  color: boolean;
}

export function loadOptionsFrom(argv: ManifestArguments): LoadOptions {
  if ((argv.filename ?? []).length === 0 && !argv.kube) {
    throw new UsageError('no manifests: give -f PATH (file, directory or -) or --kube');
  }
  if (argv.kube) stopKubectlOnSignals();
  const filenames = argv.filename ?? [];
  return {
    filenames,
    stdin: filenames.includes('-') ? process.stdin : undefined,
    defaultNamespace: argv.namespace ?? 'default',
    kube: argv.kube
      ? { context: argv.context, namespace: argv.namespace, allNamespaces: argv['all-namespaces'] }
      : undefined,
  };
}

const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * kubectl runs in a process group of its own (see runKubectl), out of reach of the terminal's
 * Ctrl-C or hang-up: a signal that ends mesh-split kills it first. The process then ends by
 * the signal as if unhandled (130, 143), unless a later listener (the watch's, Ink's) ends it.
 */
function stopKubectlOnSignals(): void {
  if (process.listeners('SIGINT').includes(endWithKubectl)) return;
  for (const signal of ENDING_SIGNALS) process.on(signal, endWithKubectl);
}

function endWithKubectl(signal: NodeJS.Signals): void {
  killRunningKubectl();
  for (const name of ENDING_SIGNALS) process.removeListener(name, endWithKubectl);
  process.kill(process.pid, signal);
}

export function colorFor(argv: Pick<ManifestArguments, 'color'>) {
  return palette(colorEnabled({ flag: argv.color, isTTY: Boolean(process.stdout.isTTY), env: process.env }));
}

/** Error findings (and warnings with --fail-on warning) make the command exit 65. */
export function findingsExitCode(findings: readonly Finding[], failOn: 'error' | 'warning'): number {
  const failing = findings.some((item) => item.level === 'error' || (failOn === 'warning' && item.level === 'warning'));
  return failing ? EXIT.input : EXIT.ok;
}
