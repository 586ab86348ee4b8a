#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin, Parser } from 'yargs/helpers';
import { ManifestInputError } from '../manifests/errors.js';
import { packageRoot } from '../package-root.js';
import { PrometheusError, PrometheusUsageError } from '../prometheus/errors.js';
import { QueryTemplateError } from '../query/errors.js';
import { ScenarioError } from '../../mocks/scenario/names.js';
import { checkCommand } from './commands/check.js';
import { demoCommand } from './commands/demo.js';
import { mockPrometheusCommand } from './commands/mock-prometheus.js';
import { watchCommand } from './commands/watch.js';
import { routesCommand } from './commands/routes.js';
import { EXIT } from '../model/exit-codes.js';
import { headerSpill, kebabCase, reportUsageError, unknownArguments, UsageError, withoutCamelCaseTwins, withoutHeaderSpill } from './usage.js';

const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };

const COMMANDS = ['routes', 'check', 'watch', 'demo', 'mock-prometheus'];

/**
 * `MESH_SPLIT_*` variables set options, but one that names no option of the command (a test
 * harness's MESH_SPLIT_REQUIRE_PROMETHEUS, a variable meant for another command) must not make
 * every run a usage error: such variables are dropped and the command line parsed again.
 */
function unknownEnvironmentOptions(error: unknown, argv: readonly string[]): string[] {
  const unknown = error instanceof UsageError ? unknownArguments(error.message) : null;
  if (!unknown) return [];
  const keys = new Map<string, string[]>();
  for (const variable of Object.keys(process.env).filter((name) => name.startsWith(ENV_PREFIX))) {
    const key = environmentKey(variable);
    for (const spelling of new Set([key, kebabCase(key)])) keys.set(spelling, [...(keys.get(spelling) ?? []), variable]);
  }
  const typed = new Set(argv.filter((word) => word.startsWith('-')).map((word) => Parser.camelCase(word.replace(/^-+/, '').replace(/=.*$/s, ''))));
  const stray = new Set<string>();
  for (const name of unknown) {
    const variables = keys.get(name);
    // An unknown name no variable gives, or one also typed, is the user's mistake.
    if (!variables || typed.has(Parser.camelCase(name))) return [];
    for (const variable of variables) stray.add(variable);
  }
  return [...stray];
}

const ENV_PREFIX = 'MESH_SPLIT_';

/**
 * The option key yargs-parser makes of a variable (its `applyEnvVars`: `__` nests, the first
 * part is the option), so that only the variable that gave an unknown key is dropped — never
 * MESH_SPLIT_FAIL_ON beside a stray MESH_SPLIT_FAILON.
 */
function environmentKey(variable: string): string {
  return Parser.camelCase(variable.slice(ENV_PREFIX.length).split('__')[0]!);
}

/** The entry only wires command modules; each command lives in its own file. */
async function main(argv: string[]): Promise<void> {
  // An empty variable is an unset one (`MESH_SPLIT_DEMO=` must not ask for the demo).
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('MESH_SPLIT_') && value === '') delete process.env[name];
  }
  try {
    await cli(argv).parseAsync();
  } catch (error) {
    const stray = unknownEnvironmentOptions(error, argv);
    if (stray.length === 0) throw error;
    for (const name of stray) delete process.env[name];
    await cli(argv).parseAsync();
  }
}

function cli(argv: string[]) {
  return yargs(argv)
    .scriptName('mesh-split')
    .env('MESH_SPLIT')
    .command(routesCommand)
    .command(checkCommand)
    .command(watchCommand)
    .command(demoCommand)
    .command(mockPrometheusCommand)
    .demandCommand(1, `name a command (${COMMANDS.join(', ')})`)
    .recommendCommands()
    .strict()
    .completion('completion', 'Print a bash/zsh completion script')
    .version(version)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      // Thrown so that no handler runs after a usage error; reported once below.
      // yargs' own parse errors (YError) are usage errors too.
      const usage = !error || error instanceof UsageError || error.name === 'YError';
      throw usage ? new UsageError(error?.message ?? message ?? 'invalid usage') : error;
    })
    .exitProcess(false);
}

async function run(argv: string[]): Promise<void> {
  try {
    await main(argv);
  } catch (error) {
    if (error instanceof PrometheusUsageError || error instanceof QueryTemplateError || error instanceof ScenarioError) {
      reportUsageError(error.message, argv.find((candidate) => COMMANDS.includes(candidate)));
      return;
    }
    if (error instanceof PrometheusError) {
      process.stderr.write(`mesh-split: ${error.message}\n`);
      process.exitCode = EXIT.unavailable;
      return;
    }
    if (error instanceof UsageError) {
      const spill = headerSpill(argv);
      const command = argv.find((word) => [...COMMANDS, 'completion'].includes(word));
      // Without a command, the first word yargs-parser leaves unplaced: never an option's value
      // (`--prometheus http://user:password@…` before the command) nor a spilt header word.
      const stray = command ? undefined : Parser(argv)._.map(String).find((word) => !spill.has(word));
      const reason = stray !== undefined ? `unknown command "${stray}" (commands: ${COMMANDS.join(', ')})` : withoutHeaderSpill(withoutCamelCaseTwins(error.message), spill);
      reportUsageError(reason, command);
      return;
    }
    if (error instanceof ManifestInputError) {
      process.stderr.write(`mesh-split: ${error.message}\n`);
      process.exitCode = EXIT.input;
      return;
    }
    const detail = /\bmesh-split\b/.test(process.env.DEBUG ?? '') ? (error as Error).stack : (error as Error).message;
    process.stderr.write(`mesh-split: internal error (a bug — please report it): ${detail}\n`);
    process.exitCode = EXIT.internal;
  }
}

// A reader that went away (`mesh-split check | head -1`): end quietly with the exit code already
// decided (0 for `watch`), instead of dying of an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit();
  throw error;
});

await run(hideBin(process.argv));
