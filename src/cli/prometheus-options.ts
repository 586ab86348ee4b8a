import type { Argv } from 'yargs';
import type { PrometheusConnectionOptions } from '../prometheus/connection.js';
import { parseDuration } from '../query/duration.js';
import { UsageError } from './usage.js';
import { repeatable, single } from './manifest-options.js';

/** SPEC §3's Prometheus options, shared by `check` and `watch`. */
export function withPrometheusOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('prometheus', {
      ...single,
      type: 'string',
      requiresArg: true,
      describe: 'Prometheus API base URL (also PROMETHEUS_URL); user:password@ for basic auth',
    })
    .option('bearer-token-file', { ...single, type: 'string', requiresArg: true, describe: 'File holding a bearer token' })
    .option('header', { ...repeatable, describe: "Extra HTTP header 'Name: value' (repeatable), e.g. X-Scope-OrgID" })
    .option('ca-file', { ...single, type: 'string', requiresArg: true, describe: 'PEM CA bundle for https' })
    .option('insecure-skip-tls-verify', { type: 'boolean', default: false, describe: 'Do not verify the server certificate' })
    .option('timeout', { ...single, type: 'string', default: '30s', requiresArg: true, describe: 'Deadline for each Prometheus call, retries included' });
}

export interface PrometheusArguments {
  prometheus?: string;
  'bearer-token-file'?: string;
  header?: string[];
  'ca-file'?: string;
  'insecure-skip-tls-verify': boolean;
  timeout: string;
}

/** Prometheus holds a duration in int64 nanoseconds and refuses longer ones ("duration out of range"). */
const PROMETHEUS_LONGEST_SECONDS = 9_223_372_036;

export function durationArgument(value: string, option: string): number {
  const seconds = parseDuration(value);
  if (seconds === null) throw new UsageError(`--${option} "${value}" is not a duration (e.g. 30s, 5m, 1h30m)`);
  if (seconds > PROMETHEUS_LONGEST_SECONDS) throw new UsageError(`--${option} "${value}" is longer than Prometheus reads (about 292y)`);
  return seconds;
}

/** Node's timers hold at most 2³¹−1 ms (~24.8 days); a longer one fires at once, every time. */
const MAX_TIMER_SECONDS = 24 * 86400;

/** A duration that a timer waits for (`--timeout`, `--interval`, `--wait`): at most 24 days. */
export function timerArgument(value: string, option: string): number {
  const seconds = durationArgument(value, option);
  if (seconds > MAX_TIMER_SECONDS) throw new UsageError(`--${option} "${value}" is longer than 24d, the longest wait mesh-split can time`);
  return seconds;
}

export function connectionOptionsFrom(argv: PrometheusArguments): PrometheusConnectionOptions {
  const url = argv.prometheus ?? process.env.PROMETHEUS_URL;
  if (!url) throw new UsageError('no Prometheus: give --prometheus URL or set PROMETHEUS_URL');
  return {
    url,
    bearerTokenFile: argv['bearer-token-file'],
    headers: argv.header,
    caFile: argv['ca-file'],
    insecureSkipTlsVerify: argv['insecure-skip-tls-verify'],
    timeoutMs: timerArgument(argv.timeout, 'timeout') * 1000,
  };
}
