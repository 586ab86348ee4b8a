import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { EvaluateOptions } from '../../evaluate/evaluate.js';
import { DEFAULT_SCENARIO } from '../../../mocks/scenario/names.js';
import type { CheckReport } from '../../model/check.js';
import { EXIT } from '../../model/exit-codes.js';
import { PrometheusError } from '../../prometheus/errors.js';
import { checkGithub } from '../../report/check/github.js';
import { checkJson } from '../../report/check/json.js';
import { checkJunit } from '../../report/check/junit.js';
import { checkMarkdown } from '../../report/check/markdown.js';
import type { CheckFormatter } from '../../report/check/report.js';
import { checkText } from '../../report/check/text.js';
import { SCHEMA_VERSION } from '../../report/split-json.js';
import { formatDuration } from '../../query/duration.js';
import {
  gatewayWorkloadsFrom,
  instantFrom,
  queryFilesFrom,
  settingsFrom,
  withVerdictOptions,
  type VerdictArguments,
} from '../check-options.js';
import { colorFor, loadOptionsFrom, type ManifestArguments, single, withManifestOptions } from '../manifest-options.js';
import { connectionOptionsFrom, timerArgument, withPrometheusOptions, type PrometheusArguments } from '../prometheus-options.js';
import { UsageError } from '../usage.js';

const OUTPUTS = ['text', 'json', 'junit', 'github', 'markdown'] as const;
type Output = (typeof OUTPUTS)[number];

const FORMATTERS: Record<Output, CheckFormatter> = {
  text: checkText,
  json: checkJson,
  junit: checkJunit,
  github: checkGithub,
  markdown: checkMarkdown,
};

interface CheckArguments extends ManifestArguments, PrometheusArguments, VerdictArguments {
  output: Output;
  at?: string;
  wait?: string;
  'allow-inconclusive': boolean;
  demo?: string;
}

export const command = 'check';
export const describe = 'Compare declared splits with what Prometheus observed; report and exit code for CI';

export function builder(yargs: Argv) {
  return withVerdictOptions(withPrometheusOptions(withManifestOptions(yargs)))
    .option('output', { ...single, alias: 'o', choices: OUTPUTS, default: 'text' as const, describe: 'Report format' })
    .option('at', { ...single, type: 'string', requiresArg: true, describe: 'Evaluate at a past instant: RFC 3339 or unix seconds' })
    .option('wait', { ...single, type: 'string', requiresArg: true, describe: 'Re-evaluate until every route is conclusive or this duration has passed' })
    .option('demo', {
      ...single,
      type: 'string',
      describe: `Evaluate against an in-process mock Prometheus serving a scenario (default ${DEFAULT_SCENARIO}) with its own manifests: simulated metrics`,
    })
    .option('allow-inconclusive', { type: 'boolean', default: false, describe: 'Exit 0 when nothing drifts, even if some routes are inconclusive' })
    .example('$0 check -f k8s/ --prometheus http://prometheus:9090', 'one evaluation')
    .example('$0 check -f k8s/ --prometheus http://prometheus:9090 --wait 10m -o junit > split.xml', 'CI gate after a rollout');
}

/** Between evaluations of --wait: often enough to stop soon after the data settles. */
const WAIT_STEP_SECONDS = 5;

export async function handler(argv: ArgumentsCamelCase<CheckArguments>): Promise<void> {
  // The pipeline is imported when a check runs: `--help` and the other commands start faster.
  const [{ evaluate }, { loadManifests }, { liveManifests }, { createConnection }] = await Promise.all([
    import('../../evaluate/evaluate.js'),
    import('../../manifests/load.js'),
    import('../../manifests/live.js'),
    import('../../prometheus/connection.js'),
  ]);
  const settings = settingsFrom(argv, argv['allow-inconclusive']);
  const at = instantFrom(argv.at);
  const waitSeconds = argv.wait === undefined ? 0 : timerArgument(argv.wait, 'wait');
  if (waitSeconds > 0 && at) throw new UsageError('--wait and --at exclude each other: a past instant never changes');
  // Every option is checked before the demo's server starts: a usage error must not leave it running.
  const gatewayWorkloads = gatewayWorkloadsFrom(argv['gateway-workload']);
  const queryFiles = queryFilesFrom(argv['query-file']);
  const connection = argv.demo === undefined ? connectionOptionsFrom(argv) : { url: '', ...demoOptionsFrom(argv) };
  const demo = argv.demo === undefined ? null : await startDemo(argv);
  let report: CheckReport;
  try {
    // Live objects are read again for each evaluation of --wait: a canary's controller changes
    // the weights while we wait, and judging the first ones would call that drift. Files (and
    // the demo's objects) are read once.
    const load = demo ? null : loadOptionsFrom(argv);
    const readLive = load?.kube ? liveManifests(load) : null;
    const options: EvaluateOptions = {
      manifests: demo ? demo.manifests : readLive ? await readLive() : await loadManifests(load!),
      prometheus: createConnection(demo ? { ...connection, url: demo.url } : connection),
      settings,
      at,
      gatewayWorkloads,
      queryFiles,
      failOn: argv['fail-on'],
    };
    report = await evaluateUntilSettled(async (again) => evaluate(again && readLive ? { ...options, manifests: await readLive() } : options), waitSeconds);
  } catch (error) {
    if (error instanceof PrometheusError && argv.output === 'json') {
      process.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, status: 'error', exitCode: EXIT.unavailable, error: error.toJSON() }, null, 2)}\n`);
    }
    throw error;
  } finally {
    demo?.close();
  }
  process.stdout.write(`${FORMATTERS[argv.output](report, colorFor(argv))}\n`);
  process.exitCode = report.exitCode;
}

/**
 * `--demo` brings its own manifests and Prometheus: the options that read others (files,
 * kubectl, another Prometheus' URL, credentials, headers, CA) are refused; what still applies
 * to its connection (--timeout) is returned. The URL is the demo's, once it runs.
 */
function demoOptionsFrom(argv: CheckArguments): { timeoutMs: number } {
  const given = [
    (argv.filename ?? []).length > 0 && '-f',
    argv.kube && '--kube',
    argv.prometheus !== undefined && '--prometheus',
    argv['bearer-token-file'] !== undefined && '--bearer-token-file',
    (argv.header ?? []).length > 0 && '--header',
    argv['ca-file'] !== undefined && '--ca-file',
    argv['insecure-skip-tls-verify'] && '--insecure-skip-tls-verify',
  ].filter((option): option is string => typeof option === 'string');
  if (given.length > 0) throw new UsageError(`--demo brings its own manifests and metrics; drop ${given.join(', ')}`);
  return { timeoutMs: timerArgument(argv.timeout, 'timeout') * 1000 };
}

/** `--demo [NAME]`: a mock Prometheus on a free loopback port, and the scenario's manifests. */
async function startDemo(argv: CheckArguments) {
  const [{ loadScenario }, { MockPrometheus, serverUrl }, { parseManifests }] = await Promise.all([
    import('../../../mocks/scenario/load.js'),
    import('../../../mocks/server.js'),
    import('../../manifests/load.js'),
  ]);
  const scenario = loadScenario(argv.demo || DEFAULT_SCENARIO);
  const mock = new MockPrometheus(scenario);
  const server = await mock.listen(0, '127.0.0.1');
  if (process.stderr.isTTY) {
    process.stderr.write(`mesh-split: demo — metrics simulated by scenario "${scenario.name}" (${scenario.description.split('. ')[0]}.)\n`);
  }
  return {
    url: serverUrl(server),
    manifests: parseManifests(mock.manifestsNow().text, `scenario:${scenario.name}`),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

function settled(report: CheckReport): boolean {
  return report.results.every((result) => result.status === 'pass' || result.status === 'drift');
}

/** `--wait`: evaluate again until every route is conclusive or the time is up. */
async function evaluateUntilSettled(evaluateOnce: (again: boolean) => Promise<CheckReport>, waitSeconds: number): Promise<CheckReport> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let again = false; ; again = true) {
    const report = await evaluateOnce(again);
    const left = (deadline - Date.now()) / 1000;
    if (settled(report) || left <= 0 || report.exitCode === EXIT.input) return report;
    if (process.stderr.isTTY) {
      const open = report.results.filter((result) => result.status !== 'pass' && result.status !== 'drift').length;
      process.stderr.write(`mesh-split: ${open} route${open === 1 ? '' : 's'} not settled yet; evaluating again (${formatDuration(left)} left)\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(WAIT_STEP_SECONDS, left) * 1000));
  }
}

export const checkCommand = { command, describe, builder, handler } as unknown as CommandModule;
