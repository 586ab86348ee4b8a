import type { Argv } from 'yargs';
import type { CheckSettings } from '../model/check.js';
import { DEFAULT_SETTINGS } from '../model/check.js';
import { isLabelName } from '../query/escape.js';
import type { TemplateName } from '../query/template.js';
import { durationArgument } from './prometheus-options.js';
import { shownNumber, UsageError } from './usage.js';
import { repeatable, single } from './manifest-options.js';

/** The options that shape a verdict (SPEC §3, §6), shared by `check` and `watch`. */
export function withVerdictOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('window', { ...single, type: 'string', default: DEFAULT_SETTINGS.window, requiresArg: true, describe: 'Lookback of increase(), a Prometheus duration' })
    .option('tolerance', { ...single, type: 'number', default: DEFAULT_SETTINGS.tolerance, requiresArg: true, describe: 'Accepted distance from the declared share, in percentage points' })
    .option('confidence', { ...single, type: 'number', default: DEFAULT_SETTINGS.confidence, requiresArg: true, describe: 'Confidence of the intervals (Bonferroni-corrected per route)' })
    .option('min-requests', { ...single, type: 'number', default: DEFAULT_SETTINGS.minRequests, requiresArg: true, describe: 'Fewest requests a route needs to pass' })
    .option('reporter', { ...single, choices: ['source', 'destination'] as const, default: DEFAULT_SETTINGS.reporter, describe: 'Which proxy\'s metrics to count (always pinned)' })
    .option('version-label', { ...single, type: 'string', default: DEFAULT_SETTINGS.versionLabel, requiresArg: true, describe: 'Metric label holding the version' })
    .option('gateway-workload', { ...repeatable, describe: 'NS/GATEWAY=WORKLOAD: the proxy workload of a Gateway (repeatable)' })
    .option('query-file', { ...repeatable, describe: 'Replace a query template: PATH (requests) or NAME=PATH (requests, tcp-connections)' });
}

export interface VerdictArguments {
  window: string;
  tolerance: number;
  confidence: number;
  'min-requests': number;
  reporter: 'source' | 'destination';
  'version-label': string;
  'gateway-workload'?: string[];
  'query-file'?: string[];
}

export function settingsFrom(argv: VerdictArguments, allowInconclusive: boolean): CheckSettings {
  durationArgument(argv.window, 'window');
  if (!(Number.isFinite(argv.tolerance) && argv.tolerance >= 0 && argv.tolerance <= 100)) {
    throw new UsageError(`--tolerance must be between 0 and 100 percentage points (got ${shownNumber(argv.tolerance)})`);
  }
  if (!(Number.isFinite(argv.confidence) && argv.confidence > 0 && argv.confidence < 1)) {
    throw new UsageError(`--confidence must be between 0 and 1, exclusive (got ${shownNumber(argv.confidence)})`);
  }
  if (!(Number.isInteger(argv['min-requests']) && argv['min-requests'] >= 0)) {
    throw new UsageError(`--min-requests must be a whole number ≥ 0 (got ${shownNumber(argv['min-requests'])})`);
  }
  if (!isLabelName(argv['version-label'])) throw new UsageError(`--version-label "${argv['version-label']}" is not a Prometheus label name`);
  if (argv['version-label'].startsWith('__')) throw new UsageError(`--version-label "${argv['version-label']}": names starting with __ are reserved for Prometheus' own use`);
  return {
    tolerance: argv.tolerance,
    confidence: argv.confidence,
    minRequests: argv['min-requests'],
    reporter: argv.reporter,
    versionLabel: argv['version-label'],
    window: argv.window.trim(),
    allowInconclusive,
  };
}

export function gatewayWorkloadsFrom(values: readonly string[] = []): Record<string, string> {
  const workloads: Record<string, string> = {};
  for (const value of values) {
    const match = /^([^/=\s]+)\/([^/=\s]+)=([^=\s]+)$/.exec(value);
    if (!match) throw new UsageError(`--gateway-workload "${value}" is not NS/GATEWAY=WORKLOAD`);
    workloads[`${match[1]}/${match[2]}`] = match[3]!;
  }
  return workloads;
}

const TEMPLATES: readonly TemplateName[] = ['requests', 'tcp-connections'];

export function queryFilesFrom(values: readonly string[] = []): Partial<Record<TemplateName, string>> {
  const files: Partial<Record<TemplateName, string>> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    const name = equals > 0 ? value.slice(0, equals) : 'requests';
    const path = equals > 0 ? value.slice(equals + 1) : value;
    if (!(TEMPLATES as readonly string[]).includes(name) || path === '') {
      throw new UsageError(`--query-file "${value}": use PATH or NAME=PATH with NAME one of ${TEMPLATES.join(', ')}`);
    }
    files[name as TemplateName] = path;
  }
  return files;
}

const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** How far past this machine's clock `--at` may be: the clocks of CI and Prometheus may differ a little. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * `--at`: RFC 3339 or unix seconds, not in the future. Prometheus answers a future instant with
 * nothing, which would read as "no traffic" — usually milliseconds (`date +%s%3N`) taken for seconds.
 */
export function instantFrom(value: string | undefined, now = Date.now()): Date | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const rfc3339 = RFC_3339.exec(text);
  const seconds = /^\d+(\.\d+)?$/.test(text);
  const date = seconds ? new Date(Number(text) * 1000) : rfc3339 && isCalendarTime(rfc3339) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--at "${value}" is neither RFC 3339 (2026-11-24T10:00:00Z) nor unix seconds`);
  if (date.getTime() > now + CLOCK_SKEW_MS) {
    // Read as milliseconds, is it a past instant? Then that is what was meant.
    const milliseconds = seconds && Number(text) <= now + CLOCK_SKEW_MS;
    const hint = milliseconds ? `: it takes unix seconds, not milliseconds (${Math.floor(Number(text) / 1000)})` : '; it evaluates a past instant';
    throw new UsageError(`--at "${value}" is in the future${hint}`);
  }
  return date;
}

/**
 * Whether an RFC 3339 date and hour exist: V8 takes any day up to 31 (2021-02-29 → March 1st)
 * and hour 24 (the next day), which RFC 3339 does not.
 */
function isCalendarTime(parts: RegExpExecArray): boolean {
  const [year, month, day, hour] = parts.slice(1, 5).map(Number) as [number, number, number, number];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && hour <= 23;
}
