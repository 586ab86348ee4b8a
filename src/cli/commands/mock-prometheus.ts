import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { single } from '../manifest-options.js';
import { speedFrom, withScenarioOptions } from '../scenario-options.js';
import { shownNumber, UsageError } from '../usage.js';

interface MockArguments {
  scenario: string;
  port: number;
  host: string;
  speed: number;
  'export-openmetrics'?: string;
}

export const command = 'mock-prometheus';
export const describe = 'Serve a built-in scenario over the Prometheus HTTP API (simulated metrics)';

export function builder(yargs: Argv) {
  return withScenarioOptions(yargs)
    .option('port', { ...single, type: 'number', default: 9090, requiresArg: true, describe: 'Port to listen on (0 picks a free one)' })
    .option('host', { ...single, type: 'string', default: '127.0.0.1', requiresArg: true, describe: 'Address to bind (loopback unless told otherwise)' })
    .option('export-openmetrics', { ...single, type: 'string', requiresArg: true, describe: 'Write the scenario\'s samples up to now as OpenMetrics to FILE (for promtool tsdb create-blocks-from openmetrics) and exit' })
    .example('$0 mock-prometheus --scenario canary-drift --port 9091', 'serve one scenario')
    .example('$0 mock-prometheus --export-openmetrics demo.om && promtool tsdb create-blocks-from openmetrics demo.om data/', 'load the demo into your own Prometheus');
}

export async function handler(argv: ArgumentsCamelCase<MockArguments>): Promise<void> {
  if (!(Number.isInteger(argv.port) && argv.port >= 0 && argv.port <= 65535)) throw new UsageError(`--port must be a port number, 0 to 65535 (got ${shownNumber(argv.port)})`);
  speedFrom(argv.speed);
  // Empty, the host would bind every interface and the export would be skipped.
  if (argv.host.trim() === '') throw new UsageError('--host needs an address (e.g. 127.0.0.1)');
  const exportFile = argv['export-openmetrics'];
  if (exportFile !== undefined && exportFile.trim() === '') throw new UsageError('--export-openmetrics needs a file name');
  const [{ loadScenario }, { ScenarioTraffic }, { toOpenMetrics }, { MockPrometheus, serverUrl }] = await Promise.all([
    import('../../../mocks/scenario/load.js'),
    import('../../../mocks/scenario/traffic.js'),
    import('../../../mocks/openmetrics.js'),
    import('../../../mocks/server.js'),
  ]);
  const scenario = loadScenario(argv.scenario);
  if (exportFile !== undefined) {
    // Data ending now: recent enough for any retention, old enough for promtool's blocks.
    const end = Date.now() / 1000;
    const traffic = new ScenarioTraffic(scenario, end - scenario.history);
    const text = toOpenMetrics(traffic.series(end - scenario.history, end));
    try {
      writeFileSync(exportFile, text);
    } catch (error) {
      throw new UsageError(`--export-openmetrics ${exportFile} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    process.stdout.write(`wrote ${scenario.history / 60} minutes of scenario "${scenario.name}" to ${exportFile}\n`);
    return;
  }
  const mock = new MockPrometheus(scenario, { speed: argv.speed });
  // A port in use or an address that is not this machine's is the user's to change, not a bug.
  const server = await mock.listen(argv.port, argv.host).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot listen on ${argv.host} port ${argv.port} (${error.code ?? error.message}); pick another --port or --host`);
  });
  const directory = mkdtempSync(join(tmpdir(), `mesh-split-${scenario.name}-`));
  const manifests = join(directory, 'manifests.yaml');
  let written = '';
  const writeManifests = () => {
    const { text } = mock.manifestsNow();
    if (text !== written) writeFileSync(manifests, `# Simulated by mesh-split mock-prometheus (scenario ${scenario.name})\n${text}`);
    written = text;
  };
  writeManifests();
  // A controller changing weights rewrites the manifests, so `watch -f` sees it as in a cluster.
  const timer = setInterval(writeManifests, 1000);
  process.stdout.write(
    `mock Prometheus serving scenario "${scenario.name}" (simulated metrics, ${argv.speed}× speed)\n` +
      `  URL:       ${serverUrl(server)}\n` +
      `  manifests: ${manifests}\n` +
      `  try:       mesh-split check -f ${manifests} --prometheus ${serverUrl(server)}\n`,
  );
  await new Promise<void>((resolve) => {
    // A closed terminal (or tmux kill-session) hangs up: the manifests are removed then too.
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const stop = () => {
      for (const signal of signals) process.removeListener(signal, stop);
      clearInterval(timer);
      server.close();
      rmSync(directory, { recursive: true, force: true });
      resolve();
    };
    for (const signal of signals) process.on(signal, stop);
  });
}

export const mockPrometheusCommand = { command, describe, builder, handler } as unknown as CommandModule;
