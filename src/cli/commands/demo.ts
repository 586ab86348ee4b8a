import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { LoadedManifests } from '../../model/manifest.js';
import { colorEnabled } from '../../report/color.js';
import { colorFor } from '../manifest-options.js';
import { speedFrom, withScenarioOptions } from '../scenario-options.js';
import { intervalSeconds, withInterval } from './watch.js';

interface DemoArguments {
  scenario: string;
  speed: number;
  interval: string;
  color: boolean;
}

export const command = 'demo';
export const describe = 'The live view on built-in simulated metrics: no cluster, no Prometheus';

export function builder(yargs: Argv) {
  return withScenarioOptions(withInterval(yargs))
    .option('color', { type: 'boolean', default: true, describe: 'Colour the output (--no-color to disable; NO_COLOR is honoured)' })
    .example('$0 demo', 'everything at once')
    .example('$0 demo --scenario canary-rollout --speed 10', 'watch a controller step a canary up');
}

export async function handler(argv: ArgumentsCamelCase<DemoArguments>): Promise<void> {
  speedFrom(argv.speed);
  const interval = intervalSeconds(argv.interval);
  const [{ loadScenario }, { MockPrometheus, serverUrl }, { parseManifests }, { createConnection }, { runWatchSession }] = await Promise.all([
    import('../../../mocks/scenario/load.js'),
    import('../../../mocks/server.js'),
    import('../../manifests/load.js'),
    import('../../prometheus/connection.js'),
    import('../watch-session.js'),
  ]);
  const scenario = loadScenario(argv.scenario);
  const mock = new MockPrometheus(scenario, { speed: argv.speed });
  const server = await mock.listen(0, '127.0.0.1');
  // The scenario's controller may change the weights while we watch: re-read when it does.
  let current: { text: string; manifests: LoadedManifests } | null = null;
  const manifests = async () => {
    const { text } = mock.manifestsNow();
    if (current?.text !== text) current = { text, manifests: parseManifests(text, `scenario:${scenario.name}`) };
    return current.manifests;
  };
  try {
    await runWatchSession({
      source: { manifests, connection: createConnection({ url: serverUrl(server), timeoutMs: 10_000, retries: 0 }), options: {} },
      intervalSeconds: interval,
      color: colorEnabled({ flag: argv.color, isTTY: Boolean(process.stdout.isTTY), env: process.env }),
      palette: colorFor(argv),
      demoScenario: scenario.name,
      speed: argv.speed,
    });
  } finally {
    // Our own client's keep-alive sockets would hold the process open otherwise.
    server.closeAllConnections();
    server.close();
  }
}

export const demoCommand = { command, describe, builder, handler } as unknown as CommandModule;
