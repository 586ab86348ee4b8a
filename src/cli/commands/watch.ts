import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { colorEnabled } from '../../report/color.js';
import { gatewayWorkloadsFrom, queryFilesFrom, settingsFrom, withVerdictOptions, type VerdictArguments } from '../check-options.js';
import { colorFor, loadOptionsFrom, single, withManifestOptions, type ManifestArguments } from '../manifest-options.js';
import { connectionOptionsFrom, timerArgument, withPrometheusOptions, type PrometheusArguments } from '../prometheus-options.js';

export interface WatchArguments extends ManifestArguments, PrometheusArguments, VerdictArguments {
  interval: string;
}

export const command = 'watch';
export const describe = 'Live terminal view of declared vs observed splits, refreshed every --interval';

/** `--interval`, shared with `demo`. */
export function withInterval<T>(yargs: Argv<T>) {
  return yargs.option('interval', { ...single, type: 'string', default: '5s', requiresArg: true, describe: 'Time between evaluations' });
}

export function builder(yargs: Argv) {
  return withInterval(withVerdictOptions(withPrometheusOptions(withManifestOptions(yargs))))
    .example('$0 watch -f k8s/ --prometheus http://127.0.0.1:9090', 'watch a canary')
    .example('$0 watch --kube -n shop --prometheus http://127.0.0.1:9090', 'live objects, re-read every refresh');
}

export function intervalSeconds(value: string): number {
  return timerArgument(value, 'interval');
}

export async function handler(argv: ArgumentsCamelCase<WatchArguments>): Promise<void> {
  const interval = intervalSeconds(argv.interval);
  // Imported when a watch runs, so other commands do not pay for the pipeline at start-up.
  const [{ liveManifests }, { fingerprint }, { createConnection }, { runWatchSession }] = await Promise.all([
    import('../../manifests/live.js'),
    import('../../manifests/sources.js'),
    import('../../prometheus/connection.js'),
    import('../watch-session.js'),
  ]);
  const load = loadOptionsFrom(argv);
  const source = {
    manifests: liveManifests(load),
    connection: createConnection(connectionOptionsFrom(argv)),
    options: {
      settings: settingsFrom(argv, false),
      gatewayWorkloads: gatewayWorkloadsFrom(argv['gateway-workload']),
      queryFiles: queryFilesFrom(argv['query-file']),
      failOn: argv['fail-on'],
    },
  };
  // After the options (a usage error comes first, as in `check`): a path that does not exist
  // at the start is a typo, told once (exit 65); one that goes away later is shown on the
  // screen while the watch goes on.
  await fingerprint(load.filenames ?? []);
  await runWatchSession({
    source,
    intervalSeconds: interval,
    color: colorEnabled({ flag: argv.color, isTTY: Boolean(process.stdout.isTTY), env: process.env }),
    palette: colorFor(argv),
  });
}

export const watchCommand = { command, describe, builder, handler } as unknown as CommandModule;
