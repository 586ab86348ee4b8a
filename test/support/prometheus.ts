/**
 * Test harness that runs a REAL Prometheus (the Debian `prometheus` package,
 * 2.42 here) over backfilled data, for integration tests.
 *
 *   describeWithPrometheus('my suite', () => {
 *     let prom: RunningPrometheus;
 *     beforeAll(async () => { prom = await startPrometheus({ openMetrics: toOpenMetrics({ counters }) }); });
 *     afterAll(async () => { await prom?.stop(); });
 *     it('...', async () => { const r = await instantQuery(prom.url, 'sum(x)', EVAL_TIME); ... });
 *   });
 *
 * Gotchas found with prometheus/promtool 2.42 (all verified by hand):
 *
 * - Block duration and alignment: `promtool tsdb create-blocks-from openmetrics`
 *   cuts blocks of exactly 2 h aligned to multiples of 7200 s since the epoch
 *   (UTC), so data crossing such a boundary lands in two blocks; queries span
 *   blocks transparently. 2.42's promtool has no --max-block-duration flag.
 *   Out-of-order samples inside a block and repeated timestamps are silently
 *   dropped (exit code 0) — see openmetrics.ts; startPrometheus() compares the
 *   sample count promtool reports with the number of sample lines and throws.
 * - Retention is NOT measured from the wall clock: at startup (and after each
 *   compaction) Prometheus deletes every block whose maxTime is more than the
 *   retention older than the NEWEST block's maxTime (tsdb BeyondTimeRetention).
 *   So backfilled data from 2023 survives on a 2026 machine with the default
 *   15d, but a data set spanning more than the retention loses its oldest
 *   blocks immediately ("Deleting obsolete block" in the log). We pass
 *   --storage.tsdb.retention.time=100y so nothing is ever deleted.
 * - Overlapping blocks: since 2.39 they are always allowed;
 *   --storage.tsdb.allow-overlapping-blocks is a hidden no-op in 2.42, so we
 *   do not pass it. Without scrape targets the head stays empty anyway.
 * - Timestamps: fixed timestamps in the past are the way to go. Queries MUST
 *   pass an explicit `time=` (or start/end): without it Prometheus evaluates at
 *   "now", where backfilled series are long gone. Data ending in the recent
 *   past, or even in the future, works too, but makes tests time-dependent.
 * - Lookback delta (default 5m, option `lookbackDelta`): an instant selector at
 *   time T returns the newest sample with T-5m <= t <= T (both ends closed in
 *   2.42: a sample exactly 300 s old is still returned, 300.001 s is not).
 * - Staleness: backfilled series carry NO staleness markers (a scraped target
 *   that disappears gets one at the next scrape and vanishes at once), so a
 *   backfilled series keeps being returned by instant selectors for the whole
 *   lookback delta after its last sample, then disappears; range selectors
 *   (`x[10m]`) see whatever samples are in the window either way.
 * - Range windows in 2.x are CLOSED on both ends: `x[10m]` at T holds samples
 *   with T-10m <= t <= T (verified: count_over_time(g[1m]) over 15 s samples
 *   at a sample time is 5; Prometheus 3 made the left end open, giving 4).
 *   Keep sample timestamps off window edges so tests survive an upgrade.
 * - rate()/increase() extrapolate (promql/functions.go extrapolatedRate):
 *   see the smoke test for the exact rules.
 * - Startup is fast (well under a second to /-/ready for small data sets).
 *
 * A crashed test must not leave Prometheus running: every instance is killed
 * (SIGKILL) and its temp dir removed synchronously in a process 'exit' handler
 * and on SIGTERM/SIGINT/SIGHUP (vitest ends fork workers with SIGTERM, which
 * skips 'exit' handlers; the signal is re-raised afterwards), and a tiny
 * detached `sh` watchdog per instance blocks on a pipe from this process; when
 * this process dies for any reason (even SIGKILL) the pipe closes and the
 * watchdog kills that Prometheus (after checking /proc/PID/cmdline still names
 * our data dir, so a reused pid is never hit) and removes the temp dir.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';
import { countSampleLines } from './openmetrics.js';

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

/** Env var that turns "skip when Prometheus is missing" into a failure (CI). */
export const REQUIRE_PROMETHEUS_ENV = 'MESH_SPLIT_REQUIRE_PROMETHEUS';

export const INSTALL_HINT = 'apt-get install prometheus';

/** Default lookback delta of Prometheus (--query.lookback-delta). */
export const LOOKBACK_DELTA_SECONDS = 300;

/** promtool backfill block length: 2 h, aligned to multiples of 7200 s. */
export const BACKFILL_BLOCK_SECONDS = 7200;

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Both binaries found on PATH, or null if either is missing. */
export function prometheusBinaries(): PrometheusBinaries | null {
  const prometheus = findOnPath('prometheus');
  const promtool = findOnPath('promtool');
  return prometheus && promtool ? { prometheus, promtool } : null;
}

function prometheusRequired(): boolean {
  const v = process.env[REQUIRE_PROMETHEUS_ENV];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Returns the binaries or throws a clear error (for use inside hooks/tests). */
export function requirePrometheus(): PrometheusBinaries {
  const bins = prometheusBinaries();
  if (!bins) {
    throw new Error(`prometheus and/or promtool not found on PATH — ${INSTALL_HINT}`);
  }
  return bins;
}

/**
 * describe() for a suite that needs a real Prometheus.
 * - binaries on PATH: a normal describe.
 * - missing, and MESH_SPLIT_REQUIRE_PROMETHEUS=1: the suite contains one
 *   failing test saying why (so CI goes red instead of silently green).
 * - missing otherwise: describe.skip plus a loud banner on stderr.
 */
export function describeWithPrometheus(name: string, fn: () => void): void {
  if (prometheusBinaries()) {
    describe(name, fn);
    return;
  }
  if (prometheusRequired()) {
    describe(name, () => {
      it('needs prometheus and promtool on PATH', () => {
        throw new Error(
          `prometheus/promtool not found on PATH and ${REQUIRE_PROMETHEUS_ENV}=1 — ${INSTALL_HINT}`,
        );
      });
    });
    return;
  }
  const line = '!'.repeat(78);
  process.stderr.write(
    `\n${line}\n!! SKIPPED: prometheus not installed — ${INSTALL_HINT}\n` +
      `!! suite: ${name}\n!! (set ${REQUIRE_PROMETHEUS_ENV}=1 to make this a failure)\n${line}\n\n`,
  );
  describe.skipIf(true)(`${name} [SKIPPED: prometheus not installed — ${INSTALL_HINT}]`, fn);
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      const { port } = addr;
      srv.close(() => resolve(port));
    });
  });
}

export interface StartPrometheusOptions {
  /** OpenMetrics text to backfill (see openmetrics.ts). */
  openMetrics: string;
  /** --storage.tsdb.retention.time; default 100y so no backfilled block is deleted. */
  retention?: string;
  /** --query.lookback-delta; default Prometheus' 5m. */
  lookbackDelta?: string;
  /** How long to wait for /-/ready; default 30 000 ms. */
  readyTimeoutMs?: number;
  /** Extra command line flags for prometheus. */
  extraArgs?: string[];
  /** Defaults to prometheusBinaries(). */
  binaries?: PrometheusBinaries;
  /** Throw if promtool ingested fewer samples than the text has lines (default true). */
  verifySampleCount?: boolean;
  /** Fixed port instead of a free one (no retry if it is taken). */
  port?: number;
}

export interface RunningPrometheus {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  port: number;
  /** Temp root: input.om, prometheus.yml and the TSDB in data/. Removed by stop(). */
  dataDir: string;
  /** promtool's block listing. */
  backfillOutput: string;
  /** First 10 and last 40 lines of prometheus' stderr (its log). */
  logTail(): string;
  /** SIGTERM, SIGKILL after 5 s, then remove dataDir. Idempotent. */
  stop(): Promise<void>;
}

interface Tracked {
  child: ChildProcess;
  watchdog: ChildProcess | undefined;
  dir: string;
}

const live = new Set<Tracked>();
let exitHookInstalled = false;

function cleanupAllSync(): void {
  for (const t of live) {
    try {
      t.child.kill('SIGKILL');
    } catch {
      // already gone
    }
    try {
      rmSync(t.dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
    try {
      t.watchdog?.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', cleanupAllSync);
  // vitest ends its fork workers with SIGTERM, and Ctrl-C sends SIGINT; neither
  // runs 'exit' handlers by default. Clean up, then re-raise the signal so the
  // default action (termination) still happens unless someone else handles it.
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      cleanupAllSync();
      process.off(sig, onSignal);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/**
 * Watchdog: blocks on a pipe from us; EOF means we died (or closed it).
 * Kills the pid only if its cmdline still holds our storage path.
 */
const WATCHDOG_SCRIPT = `
pid="$1"; dir="$2"
ours() { [ -r "/proc/$pid/cmdline" ] && tr '\\000' '\\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--storage.tsdb.path=$dir/data"; }
read -r _ignored || true
if ours; then
  kill -TERM "$pid" 2>/dev/null
  i=0
  while [ "$i" -lt 50 ] && ours; do sleep 0.1; i=$((i+1)); done
  if ours; then kill -KILL "$pid" 2>/dev/null; fi
fi
rm -rf -- "$dir"
`;

function startWatchdog(pid: number, dir: string): ChildProcess | undefined {
  try {
    const wd = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'prometheus-watchdog', String(pid), dir], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true, // own process group: survives a terminal Ctrl-C long enough to clean up
    });
    wd.on('error', () => {});
    wd.unref();
    (wd.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    wd.stdin?.on('error', () => {});
    return wd;
  } catch {
    return undefined;
  }
}

function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const how = err.killed ? `was killed after ${timeoutMs} ms` : `failed (exit code ${String(err.code)})`;
        reject(new Error(`${file} ${args.join(' ')} ${how}:\n${stderr}${stdout}`.trim()));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

/** Sum of NUM SAMPLES over the blocks promtool printed. */
function samplesInBackfillOutput(out: string): number {
  let total = 0;
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    // ULID MINT MAXT DURATION NUM_SAMPLES NUM_CHUNKS NUM_SERIES SIZE
    if (cols.length >= 8 && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(cols[0] ?? '')) {
      total += Number(cols[4]);
    }
  }
  return total;
}

function killWatchdog(t: Tracked): void {
  try {
    t.watchdog?.kill('SIGKILL');
  } catch {
    // already gone
  }
  t.watchdog?.stdin?.destroy();
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Backfill `openMetrics` into a fresh temp TSDB and start Prometheus on it,
 * listening on a free 127.0.0.1 port, with no scrape targets (no network use).
 * Resolves once /-/ready answers 200.
 */
export async function startPrometheus(opts: StartPrometheusOptions): Promise<RunningPrometheus> {
  const bins = opts.binaries ?? requirePrometheus();
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  installExitHook();

  const dir = mkdtempSync(join(tmpdir(), 'mesh-split-prom-'));
  const dataPath = join(dir, 'data');
  const inputPath = join(dir, 'input.om');
  const configPath = join(dir, 'prometheus.yml');
  let cleanupOnError = true;
  try {
    mkdirSync(dataPath);
    writeFileSync(inputPath, opts.openMetrics);
    writeFileSync(
      configPath,
      // Minimal config: no scrape_configs, no rule files, no alerting.
      'global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nscrape_configs: []\n',
    );

    const backfill = await run(bins.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', inputPath, dataPath], 120_000);
    const backfillOutput = backfill.stdout + backfill.stderr;
    if (opts.verifySampleCount ?? true) {
      const expected = countSampleLines(opts.openMetrics);
      const got = samplesInBackfillOutput(backfillOutput);
      if (got !== expected) {
        throw new Error(
          `promtool ingested ${got} samples but the OpenMetrics text has ${expected} sample lines ` +
            `(out-of-order or duplicate-timestamp samples are dropped silently):\n${backfillOutput}`,
        );
      }
    }

    let lastError: Error | undefined;
    for (let attempt = 0; attempt < (opts.port === undefined ? 3 : 1); attempt++) {
      const port = opts.port ?? (await freePort());
      try {
        const running = await launch(bins, dir, dataPath, configPath, port, opts, readyTimeoutMs, backfillOutput);
        cleanupOnError = false;
        return running;
      } catch (e) {
        lastError = e as Error;
        // Lost the race for the port between freePort() and prometheus' bind: retry.
        if (!/address already in use/i.test(lastError.message)) break;
      }
    }
    throw lastError ?? new Error('prometheus did not start');
  } finally {
    if (cleanupOnError) rmSync(dir, { recursive: true, force: true });
  }
}

async function launch(
  bins: PrometheusBinaries,
  dir: string,
  dataPath: string,
  configPath: string,
  port: number,
  opts: StartPrometheusOptions,
  readyTimeoutMs: number,
  backfillOutput: string,
): Promise<RunningPrometheus> {
  const args = [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${dataPath}`,
    `--storage.tsdb.retention.time=${opts.retention ?? '100y'}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--query.lookback-delta=${opts.lookbackDelta ?? '5m'}`,
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(bins.prometheus, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const tracked: Tracked = { child, watchdog: undefined, dir };
  live.add(tracked);
  if (child.pid !== undefined) tracked.watchdog = startWatchdog(child.pid, dir);

  // Prometheus logs to stderr (stdout only gets the --help usage text on a
  // flag error). Keep its first lines (flag/config errors) and the last 200.
  const headLines: string[] = [];
  const logLines: string[] = [];
  let dropped = 0;
  let partial = '';
  const onData = (chunk: Buffer): void => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (headLines.length < 10) headLines.push(line);
      else logLines.push(line);
    }
    if (logLines.length > 200) {
      dropped += logLines.length - 200;
      logLines.splice(0, logLines.length - 200);
    }
  };
  child.stderr?.on('data', onData);
  const logTail = (n = 40): string => {
    const rest = [...logLines, partial].filter(Boolean);
    const shown = rest.slice(-n);
    const skipped = dropped + rest.length - shown.length;
    return [...headLines, ...(skipped > 0 ? [`[... ${skipped} lines ...]`] : []), ...shown].join('\n');
  };

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      exited ??= { code: null, signal: null };
      resolve();
    });
  });

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exitPromise.then(() => true), sleep(5_000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await Promise.race([exitPromise, sleep(5_000)]);
      }
    }
    live.delete(tracked);
    killWatchdog(tracked);
    rmSync(dir, { recursive: true, force: true });
  };
  const stopKeepingDir = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGKILL');
      await Promise.race([exitPromise, sleep(5_000)]);
    }
    live.delete(tracked);
    killWatchdog(tracked);
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) {
      await stopKeepingDir();
      const why = spawnError
        ? `could not be started: ${spawnError.message}`
        : `exited early (code ${exited.code}, signal ${exited.signal})`;
      throw new Error(`prometheus ${why}; last log lines:\n${logTail()}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await res.text();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopKeepingDir();
      throw new Error(`prometheus not ready on ${url} after ${readyTimeoutMs} ms; last log lines:\n${logTail()}`);
    }
    await sleep(50);
  }

  // Do not keep the test process alive just because a test forgot stop();
  // the exit hook / watchdog then take care of it.
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

  return { url, port, dataDir: dir, backfillOutput, logTail: () => logTail(), stop };
}

/** Prometheus' JSON sample values: decimal strings, "NaN", "+Inf", "-Inf". */
export function parsePromValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
  /** Evaluation timestamp (unix seconds) as returned by the API. */
  t: number;
}

interface ApiResponse {
  status: string;
  error?: string;
  errorType?: string;
  data?: { resultType: string; result: unknown };
}

async function apiGet(url: string, path: string, params: Record<string, string>): Promise<{ resultType: string; result: unknown }> {
  const qs = new URLSearchParams(params).toString();
  const res = await fetch(`${url}${path}?${qs}`, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: ApiResponse;
  try {
    body = JSON.parse(text) as ApiResponse;
  } catch {
    throw new Error(`GET ${path} ${params.query ?? ''}: HTTP ${res.status}, not JSON: ${text.slice(0, 500)}`);
  }
  if (body.status !== 'success' || !body.data) {
    throw new Error(`query ${params.query ?? ''} failed (HTTP ${res.status}): ${body.errorType ?? ''} ${body.error ?? ''}`.trim());
  }
  return body.data;
}

/**
 * GET /api/v1/query?query=expr&time=time (unix seconds) and return the vector
 * (a scalar comes back as one sample with an empty metric). Always pass the
 * evaluation time: backfilled data is invisible at "now".
 */
export async function instantQuery(url: string, expr: string, time: number): Promise<VectorSample[]> {
  const data = await apiGet(url, '/api/v1/query', { query: expr, time: String(time) });
  const parse = (v: [number, string]): { t: number; value: number } => ({ t: v[0], value: parsePromValue(v[1]) });
  switch (data.resultType) {
    case 'vector':
      return (data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({
        metric: r.metric,
        ...parse(r.value),
      }));
    case 'scalar':
      return [{ metric: {}, ...parse(data.result as [number, string]) }];
    default:
      throw new Error(`query ${expr}: unexpected result type ${data.resultType}`);
  }
}

export interface MatrixSeries {
  metric: Record<string, string>;
  points: Array<{ t: number; value: number }>;
}

/** GET /api/v1/query_range (start/end unix seconds, step seconds) and return the matrix. */
export async function rangeQuery(url: string, expr: string, start: number, end: number, step: number): Promise<MatrixSeries[]> {
  const data = await apiGet(url, '/api/v1/query_range', {
    query: expr,
    start: String(start),
    end: String(end),
    step: String(step),
  });
  if (data.resultType !== 'matrix') throw new Error(`query_range ${expr}: unexpected result type ${data.resultType}`);
  return (data.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>).map((r) => ({
    metric: r.metric,
    points: r.values.map(([t, v]) => ({ t, value: parsePromValue(v) })),
  }));
}
