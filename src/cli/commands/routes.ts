import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { RoutesFormatter } from '../../report/routes/report.js';
import { colorFor, findingsExitCode, loadOptionsFrom, type ManifestArguments, single, withManifestOptions } from '../manifest-options.js';


interface RoutesArguments extends ManifestArguments {
  output: 'text' | 'json';
}

export const command = 'routes';
export const describe = 'Show the declared traffic splits as Istio would apply them (no Prometheus needed)';

export function builder(yargs: Argv) {
  return withManifestOptions(yargs)
    .option('output', { ...single, alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' })
    .example('$0 routes -f examples/helloworld/', 'the seed\'s three configurations')
    .example('kubectl get vs,dr,svc -A -o yaml | $0 routes -f - -o json', 'from stdin');
}

export async function handler(argv: ArgumentsCamelCase<RoutesArguments>): Promise<void> {
  // Imported here, not at the top: every command pays only for what it runs (start-up time).
  const [{ loadManifests }, { resolveSplits }, { routesJson }, { routesText }] = await Promise.all([
    import('../../manifests/load.js'),
    import('../../resolve/resolve.js'),
    import('../../report/routes/json.js'),
    import('../../report/routes/text.js'),
  ]);
  const FORMATTERS: Record<'text' | 'json', RoutesFormatter> = { text: routesText, json: routesJson };
  const manifests = await loadManifests(loadOptionsFrom(argv));
  const resolution = resolveSplits(manifests);
  process.stdout.write(`${FORMATTERS[argv.output](resolution, colorFor(argv))}\n`);
  process.exitCode = findingsExitCode(resolution.findings, argv['fail-on']);
}

export const routesCommand = { command, describe, builder, handler } as unknown as CommandModule;
