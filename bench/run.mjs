#!/usr/bin/env node
// `npm run bench`: measures mesh-split against its floors and writes bench/RESULTS.md (and the
// raw numbers in bench/results.json). Plain Node, no TypeScript; run after a build (the npm
// script builds first). Network: 127.0.0.1 only (a real Prometheus, a counting proxy).
//
//   node bench/run.mjs [--runs N] [--quick] [--no-profile] [--keep] [--serve]
//
//   --runs N      runs per figure (default 5; the median is reported)
//   --quick       sizes 100 and 500 only, 3 runs, short idle window (for working on the bench)
//   --no-profile  skip the CPU profiles of the figures ("where the time goes")
//   --keep        keep the work directory (generated Lists, outputs, profiles)
//   --serve       set up the Lists, Prometheus and the proxy, print how to reach them, and wait
//                 (Ctrl-C ends and removes them unless --keep) — for reproducing a figure by hand;
//                 the watch List's series then run two hours ahead instead of 20 minutes
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summarize } from './cpuprofile-top.mjs';
import { listJson, listYaml, NAMESPACES, SOURCES, VERSIONS, writeOpenMetrics } from './generate.mjs';
import { startPrometheus } from './prometheus.mjs';
import { countingProxy } from './proxy.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
// dist/ is copied to a private snapshot first, so that a rebuild of dist/ while the benchmark
// runs (someone else working in this tree) cannot change what is measured half-way. It stays
// inside the package so that the program still finds package.json, queries/ and node_modules/.
const SNAPSHOT = join(BENCH, '.dist-snapshot');
const CLI = join(SNAPSHOT, 'dist/bin/mesh-split.js');
// Profiles run the same code unbundled (one file per module), so samples name our source files.
const CLI_MODULES = join(SNAPSHOT, 'dist/src/cli/main.js');
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    serve: { type: 'boolean', default: false },
  },
});
const RUNS = Number(opts.runs ?? (opts.quick ? 3 : 5));
const SIZES = opts.quick ? [100, 500] : [100, 500, 2000];
/** VirtualServices in the watch List: 167 × 3 versions = 501 rows. */
const WATCH_VS = 167;
// Refreshes measured in-process. Their CPU is bimodal (a refresh that sets off a full collection
// costs about twice one that does not, one in three or four does), so the median of 7 landed on
// either mode from run to run; 21 give a stable median, and the mean is reported beside it.
const WATCH_REFRESHES = Math.max(RUNS, 21);
const IDLE_WINDOWS = opts.quick ? 2 : 5;
const IDLE_WINDOW_SECONDS = opts.quick ? 10 : 20;
const PROFILE = !opts['no-profile'];
const started = Date.now();

for (const built of ['dist/bin/mesh-split.js', 'dist/bench/watch.js']) {
  if (!existsSync(join(ROOT, built))) {
    console.error(`bench: ${built} is missing; build first (npm run build && node scripts/bundle.mjs --bench)`);
    process.exit(1);
  }
}
rmSync(SNAPSHOT, { recursive: true, force: true });
cpSync(join(ROOT, 'dist'), join(SNAPSHOT, 'dist'), { recursive: true });

// ---------------------------------------------------------------------------------------------
// Helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...args) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...args);
const sh = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || `(${cmd} failed)`;
  }
};
const env = { ...process.env };
for (const key of Object.keys(env)) if (key.startsWith('MESH_SPLIT_') || key === 'FORCE_COLOR' || key === 'NO_COLOR' || key === 'NODE_OPTIONS') delete env[key];
delete env.CI; // Ink draws only the last frame when it thinks it runs in CI.

/**
 * Runs a command under `/usr/bin/time -v`: wall time measured here (spawn to exit), peak RSS
 * from time's report. stdout goes to `stdoutFile` (or is discarded).
 */
function timed(cmd, args, { stdoutFile, extraEnv } = {}) {
  return new Promise((resolve, reject) => {
    const stdio = ['ignore', stdoutFile ? 'pipe' : 'ignore', 'pipe'];
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', cmd, ...args], { cwd: ROOT, env: { ...env, ...extraEnv }, stdio });
    const out = [];
    let err = '';
    child.stdout?.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const rss = err.match(/Maximum resident set size \(kbytes\): (\d+)/);
      const exit = err.match(/Exit status: (\d+)/);
      const user = err.match(/User time \(seconds\): ([\d.]+)/);
      const system = err.match(/System time \(seconds\): ([\d.]+)/);
      const cpuMs = user && system ? (Number(user[1]) + Number(system[1])) * 1000 : null;
      if (stdoutFile) writeFileSync(stdoutFile, Buffer.concat(out));
      resolve({ wallMs, cpuMs, rssKB: rss ? Number(rss[1]) : null, code: exit ? Number(exit[1]) : code, stderr: err.replace(/\n\tCommand being timed:[\s\S]*$/, '').trim(), stdout: stdoutFile ? undefined : '' });
    });
  });
}

async function repeat(n, fn) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await fn(i));
  return results;
}

function stats(results) {
  const wall = results.map((r) => r.wallMs);
  const rss = results.map((r) => r.rssKB).filter((x) => x !== null);
  const cpu = results.map((r) => r.cpuMs).filter((x) => x !== null);
  return { runs: results.length, wallMs: median(wall), wallAllMs: wall.map((x) => Math.round(x)), cpuMs: cpu.length ? median(cpu) : null, rssMB: rss.length ? median(rss) / 1024 : null };
}

const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const fmtX = (x) => `${x.toFixed(x >= 10 ? 0 : x >= 3 ? 1 : 2)}×`;
const fmtMB = (mb) => (mb === null ? '–' : `${Math.round(mb)} MB`);
const fmtBytes = (b) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${Math.round(b / 1024)} KB`);

// ---------------------------------------------------------------------------------------------
// Set-up

const work = mkdtempSync(join(tmpdir(), 'mesh-split-bench-'));
let prom = null;
let proxy = null;
const cleanup = () => {
  rmSync(SNAPSHOT, { recursive: true, force: true });
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await prom?.stop();
    process.exit(130);
  });
}

/** Uncommitted changes under src/ and mocks/ (what dist/ was built from), if any. */
function dirty() {
  const changed = sh('git', ['-C', ROOT, 'status', '--porcelain', 'src', 'mocks', 'queries'])
    .split('\n')
    .filter(Boolean)
    .map((line) => line.trim().split(/\s+/).pop());
  return changed.length ? ` + uncommitted changes in ${changed.join(', ')}` : '';
}

const results = {
  date: new Date().toISOString(),
  machine: {
    nproc: sh('nproc', []),
    cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: sh('uname', ['-sr']),
    node: process.version,
    prometheus: (sh('prometheus', ['--version']).split('\n')[0] ?? '').replace(/\s*\(.*$/, ''),
    curl: (sh('curl', ['--version']).split('\n')[0] ?? '').split(' ').slice(0, 2).join(' '),
    yaml: JSON.parse(readFileSync(join(ROOT, 'node_modules/yaml/package.json'), 'utf8')).version,
    jsYaml: JSON.parse(readFileSync(join(ROOT, 'node_modules/js-yaml/package.json'), 'utf8')).version,
    meshSplit: `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}, commit ${sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])}${dirty()}`,
    loadStart: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  },
  runs: RUNS,
  sizes: SIZES,
};
log(`work dir ${work}; ${RUNS} runs per figure; sizes ${SIZES.join(', ')}`);

const lists = {};
for (const n of [...new Set([...SIZES, WATCH_VS])]) {
  lists[n] = { yaml: join(work, `list-${n}.yaml`), json: join(work, `list-${n}.json`) };
  writeFileSync(lists[n].yaml, listYaml(n));
  if (SIZES.includes(n)) writeFileSync(lists[n].json, listJson(n));
}
log('generated the Lists');

const profileDir = join(work, 'profiles');
mkdirSync(profileDir);
const profiles = {};
/** Runs node --cpu-prof on a command once and keeps the summary under `name`. */
async function profile(name, args) {
  if (!PROFILE) return;
  const dir = join(profileDir, name);
  mkdirSync(dir);
  await timed(process.execPath, [`--cpu-prof`, `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200', ...args], { stdoutFile: join(work, 'profile-out') });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file) profiles[name] = summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')), 10);
}

// ---------------------------------------------------------------------------------------------
// Metrics: a real Prometheus over backfilled counters, and the counting proxy

async function setUpPrometheus() {
  const now = Math.floor(Date.now() / 1000 / 60) * 60;
  // `check` evaluates one hour ago (--at); watch evaluates "now", so the watch List's series
  // also get samples every minute from 10 minutes ago to 20 minutes ahead (two hours for --serve,
  // which is for measuring by hand).
  const evalAt = now - 3600;
  const evalTimes = [evalAt - 270, evalAt - 150, evalAt - 30];
  const watchTimes = [];
  for (let t = now - 600; t <= now + (opts.serve ? 7200 : 1200); t += 60) watchTimes.push(t);
  const dir = join(work, 'prometheus');
  mkdirSync(dir);
  const input = join(dir, 'input.om');
  const nAll = Math.max(...SIZES);
  const samples = await writeOpenMetrics(input, { nAll, nWatch: WATCH_VS, evalTimes, watchTimes });
  const inputBytes = statSync(input).size;
  log(`backfilling ${samples} samples (${fmtBytes(inputBytes)} of OpenMetrics) into Prometheus`);
  prom = await startPrometheus({ dir, inputPath: input, expectedSamples: samples });
  proxy = await countingProxy(prom.url);
  results.prometheus = {
    series: nAll * VERSIONS.length * SOURCES,
    samples,
    inputBytes,
    backfillSeconds: prom.backfillSeconds,
    evalAt,
    virtualServices: nAll,
  };
  log(`Prometheus ${prom.url}, proxy ${proxy.url}; check evaluates at ${evalAt}`);
  return evalAt;
}

// ---------------------------------------------------------------------------------------------
// resolve: `routes -o json` vs a bare parse of the same file

function lineOf(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (line) => text.slice(starts[line - 1], (starts[line] ?? text.length + 1) - 1);
}

/** Are file and line still reported, and right? Every weight's line must hold that weight. */
function checkLines(outFile, listFile, n) {
  const out = JSON.parse(readFileSync(outFile, 'utf8'));
  const line = lineOf(readFileSync(listFile, 'utf8'));
  let vs = 0;
  let vsGood = 0;
  let destinations = 0;
  let good = 0;
  for (const result of out.results) {
    vs += 1;
    // The object's line is where its List item starts; its name follows within a few lines.
    const { file, line: at, name } = result.virtualService;
    const near = Array.from({ length: 12 }, (_, k) => line(at + k) ?? '').join('\n');
    const named = new RegExp(`^\\s*"?name"?:\\s*"?${name}"?,?$`, 'm');
    if (file === listFile && /apiVersion|^\s*\{\s*$/.test(line(at)) && named.test(near)) vsGood += 1;
    for (const d of result.destinations) {
      destinations += 1;
      if (typeof d.line === 'number' && /weight/.test(line(d.line)) && line(d.line).includes(String(d.weight))) good += 1;
    }
  }
  return { ok: vs === n && vsGood === vs && good === destinations && out.findings.length === 0, virtualServices: vs, virtualServiceLinesRight: vsGood, destinations, weightLinesRight: good, findings: out.findings.length };
}

async function benchResolve() {
  const rows = [];
  for (const format of ['yaml', 'json']) {
    for (const n of SIZES) {
      const file = lists[n][format];
      const out = join(work, `routes-${n}.${format}.out.json`);
      log(`resolve: routes -o json, ${n} VS, ${format}`);
      const mesh = await repeat(RUNS, () => timed(process.execPath, [CLI, 'routes', '-f', file, '-o', 'json'], { stdoutFile: out }));
      if (mesh.some((r) => r.code !== 0)) throw new Error(`routes exited ${mesh.map((r) => r.code)}: ${mesh[0].stderr}`);
      const lines = checkLines(out, file, n);
      const floors = {};
      for (const parser of format === 'yaml' ? ['js-yaml', 'yaml'] : ['json', 'js-yaml', 'yaml']) {
        const parseFile = join(work, 'floor.out');
        const runs = await repeat(RUNS, async () => {
          const r = await timed(process.execPath, [join(BENCH, 'floor-parse.mjs'), parser, file], { stdoutFile: parseFile });
          const answer = JSON.parse(readFileSync(parseFile, 'utf8'));
          if (answer.items !== 3 * n) throw new Error(`${parser} parsed ${answer.items} items of ${file}`);
          return { ...r, parseMs: answer.parseMs };
        });
        floors[parser] = { ...stats(runs), parseMs: median(runs.map((r) => r.parseMs)) };
      }
      const floorParser = format === 'yaml' ? (floors['js-yaml'].wallMs <= floors.yaml.wallMs ? 'js-yaml' : 'yaml') : 'json';
      const floor = floors[floorParser].wallMs;
      const m = stats(mesh);
      rows.push({ format, n, bytes: statSync(file).size, mesh: m, floors, floorParser, floorMs: floor, ratio: m.wallMs / floor, lines });
    }
  }
  // Growth: marginal cost per VirtualService between sizes (linear ⇔ about constant).
  const growth = {};
  for (const format of ['yaml', 'json']) {
    const r = rows.filter((row) => row.format === format);
    growth[format] = r.slice(1).map((row, i) => ({
      from: r[i].n,
      to: row.n,
      msPerVs: (row.mesh.wallMs - r[i].mesh.wallMs) / (row.n - r[i].n),
      floorMsPerVs: (row.floorMs - r[i].floorMs) / (row.n - r[i].n),
      cpuMsPerVs: (row.mesh.cpuMs - r[i].mesh.cpuMs) / (row.n - r[i].n),
      floorCpuMsPerVs: (row.floors[row.floorParser].cpuMs - r[i].floors[r[i].floorParser].cpuMs) / (row.n - r[i].n),
    }));
  }
  results.resolve = { rows, growth };
  const big = Math.max(...SIZES);
  await profile('routes-yaml', [CLI_MODULES, 'routes', '-f', lists[big].yaml, '-o', 'json']);
  await profile('routes-json', [CLI_MODULES, 'routes', '-f', lists[big].json, '-o', 'json']);
}

// ---------------------------------------------------------------------------------------------
// evaluate: `check` against the real Prometheus vs `node -e 0` + one curl of the same query

async function benchEvaluate(evalAt) {
  const nodeBare = stats(await repeat(Math.max(RUNS, 5), () => timed(process.execPath, ['-e', '0'])));
  const rows = [];
  const big = Math.max(...SIZES);
  for (const [n, format] of [...SIZES.map((size) => [size, 'yaml']), [big, 'json']]) {
    const file = lists[n][format];
    const out = join(work, `check-${n}.${format}.out.json`);
    const args = [CLI, 'check', '-f', file, '--prometheus', proxy.url, '--at', String(evalAt), '-o', 'json', '--timeout', '120s'];
    log(`evaluate: check, ${n} VS, ${format} List`);
    const counts = [];
    let sent = [];
    const runs = [];
    let planned = RUNS;
    for (let i = 0; i < planned; i++) {
      proxy.reset();
      const r = await timed(process.execPath, args, { stdoutFile: out });
      if (![0, 1, 2].includes(r.code)) throw new Error(`check exited ${r.code}: ${r.stderr}`);
      counts.push(proxy.requests.length);
      sent = proxy.requests.map((q) => ({ method: q.method, path: q.path.split('?')[0], requestBytes: q.body.length + q.path.length, responseBytes: q.responseBytes, encoding: q.encoding, status: q.status, headers: q.headers, body: q.body, fullPath: q.path }));
      runs.push(r);
      // The 2,000-VS check can be slow; three runs then, and the report says so.
      if (i === 0 && r.wallMs > 20_000 && planned > 3) planned = 3;
    }
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const statuses = {};
    for (const result of report.results) statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    // The floor: the same query, replayed with curl through the same proxy.
    const query = sent.find((q) => q.path === '/api/v1/query') ?? sent[sent.length - 1];
    const bodyFile = join(work, `query-${n}.${format}.body`);
    writeFileSync(bodyFile, query.body);
    // Same request as check's: same method, body and content type, and (like axios) asking for gzip.
    const gzip = /gzip/.test(query.headers['accept-encoding'] ?? '');
    const curlArgs = ['-s', '-o', '/dev/null', '-X', query.method, ...(gzip ? ['--compressed'] : [])];
    if (query.body.length > 0) curlArgs.push('-H', `content-type: ${query.headers['content-type']}`, '--data-binary', `@${bodyFile}`);
    curlArgs.push(`${proxy.url}${query.fullPath}`);
    const curl = stats(await repeat(RUNS, () => timed('curl', curlArgs)));
    const m = stats(runs);
    const floorMs = nodeBare.wallMs + curl.wallMs;
    rows.push({
      n,
      format,
      mesh: m,
      requests: { perRun: counts, sent: sent.map(({ method, path, requestBytes, responseBytes, encoding, status }) => ({ method, path, requestBytes, responseBytes, encoding, status })) },
      results: report.results.length,
      statuses,
      curl,
      floorMs,
      ratio: m.wallMs / floorMs,
      curlCommand: `curl -s -o /dev/null -X ${query.method}${gzip ? ' --compressed' : ''}${query.body.length ? ` -H 'content-type: ${query.headers['content-type']}' --data-binary @query.body` : ''} '$PROXY${query.fullPath.length > 80 ? `${query.fullPath.slice(0, 60)}…` : query.fullPath}'`,
    });
  }
  results.evaluate = { nodeBare, rows };
  await profile('check', [CLI_MODULES, 'check', '-f', lists[big].yaml, '--prometheus', prom.url, '--at', String(evalAt), '-o', 'json', '--timeout', '120s']);
  await profile('check-json', [CLI_MODULES, 'check', '-f', lists[big].json, '--prometheus', prom.url, '--at', String(evalAt), '-o', 'json', '--timeout', '120s']);
}

// ---------------------------------------------------------------------------------------------
// watch: CPU per refresh in-process, CPU share of a real `watch` in a pseudo-terminal

/** utime and stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

/**
 * A real `mesh-split watch --interval 5s` on the watch List, in a 160×50 pseudo-terminal made by
 * `script`, no keys pressed. Resolves after the warm-up (trend seed, first refresh, first frames)
 * with the node pid and quit() (types q, as a user would; kills if that fails).
 */
async function startPtyWatch(nodeFlags, { warmUp = true } = {}) {
  const t0 = performance.now();
  const command = `stty cols 160 rows 50; exec ${process.execPath} ${nodeFlags.join(' ')} ${CLI} watch -f ${lists[WATCH_VS].yaml} --prometheus ${proxy.url} --interval 5s`;
  const script = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: { ...env, TERM: 'xterm-256color' }, stdio: ['pipe', 'ignore', 'ignore'] });
  let pid = null;
  for (let i = 0; i < 200 && pid === null; i++) {
    await sleep(50);
    try {
      const children = readFileSync(`/proc/${script.pid}/task/${script.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      pid = children.find((c) => readFileSync(`/proc/${c}/cmdline`, 'utf8').includes(CLI)) ?? null;
    } catch {
      // not yet
    }
  }
  if (pid === null) throw new Error('could not find the watch process under script');
  const before = proxy.requests.length;
  const instant = () => proxy.requests.slice(before).some((q) => q.path.startsWith('/api/v1/query') && !q.path.startsWith('/api/v1/query_range'));
  for (let i = 0; i < 600 && !instant(); i++) await sleep(50);
  if (!instant()) throw new Error('the real watch sent no instant query within 30 s of its start');
  // Start-up: spawn → the first refresh's query (after reading the List and seeding the trend
  // from one range query per template), and the CPU the process spent until then.
  const firstRefreshMs = performance.now() - t0;
  const startTicks = cpuTicks(pid);
  const warmUpMs = firstRefreshMs + 4000;
  if (warmUp) await sleep(4000);
  const quit = async () => {
    script.stdin.write('q');
    const exited = await Promise.race([new Promise((resolve) => script.once('exit', () => resolve(true))), sleep(10_000).then(() => false)]);
    if (!exited) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        // gone
      }
      script.kill('SIGTERM');
    }
    return exited;
  };
  return { pid, quit, warmUpMs, firstRefreshMs, startTicks };
}

async function benchWatch() {
  log(`watch: in-process refreshes, ${WATCH_VS} VS`);
  const dir = join(profileDir, 'watch');
  mkdirSync(dir);
  // The figures come from the bundled build without the profiler; the profiles from a second run
  // of the unbundled build (whose samples name our source files), whose figures are not used.
  const runInproc = (extra) => new Promise((resolve, reject) => {
    const args = [join(BENCH, 'watch-inproc.mjs'), '--dist', join(SNAPSHOT, 'dist'), '--file', lists[WATCH_VS].yaml, '--prometheus', proxy.url, '--runs', String(WATCH_REFRESHES), ...extra];
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`watch-inproc exited ${code}: ${err}`));
      else resolve(JSON.parse(line));
    });
  });
  proxy.reset();
  const inproc = await runInproc([]);
  // Requests per refresh: everything the in-process run sent, minus the trend seed, per refresh.
  const queries = proxy.requests.filter((q) => q.path.startsWith('/api/v1/query') && !q.path.startsWith('/api/v1/query_range')).length;
  inproc.queriesSent = queries;
  inproc.refreshesRun = inproc.refreshCalls;
  if (PROFILE) await runInproc(['--profile', dir]);
  for (const name of ['watch-refresh', 'watch-screen-refresh', 'watch-idle-clock']) {
    const f = join(dir, `${name}.cpuprofile`);
    if (existsSync(f)) profiles[name] = summarize(JSON.parse(readFileSync(f, 'utf8')), 10);
  }

  log(`watch: CPU share of a real watch in a pseudo-terminal (${IDLE_WINDOWS} × ${IDLE_WINDOW_SECONDS} s at --interval 5s)`);
  const clk = Number(sh('getconf', ['CLK_TCK'])) || 100;
  proxy.reset();
  const session = await startPtyWatch([]);
  const windows = [];
  let ticks = cpuTicks(session.pid);
  let t = performance.now();
  let sent = proxy.requests.length;
  for (let w = 0; w < IDLE_WINDOWS; w++) {
    await sleep(IDLE_WINDOW_SECONDS * 1000);
    const ticks2 = cpuTicks(session.pid);
    const t2 = performance.now();
    const userMs = ((ticks2.user - ticks.user) * 1000) / clk;
    const systemMs = ((ticks2.system - ticks.system) * 1000) / clk;
    windows.push({ cpuMs: userMs + systemMs, userMs, systemMs, wallMs: t2 - t, refreshes: proxy.requests.length - sent });
    ticks = ticks2;
    t = t2;
    sent = proxy.requests.length;
  }
  const status = readFileSync(`/proc/${session.pid}/status`, 'utf8');
  const peakRssMB = Number((status.match(/VmHWM:\s+(\d+)/) ?? [])[1]) / 1024;
  const exited = await session.quit();
  if (PROFILE) {
    // The same, once more under the profiler: 30 s of the real process after its warm-up.
    log('watch: profiling 30 s of the real watch process');
    const profDir = join(profileDir, 'watch-process');
    mkdirSync(profDir);
    const profiled = await startPtyWatch(['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=200'], { warmUp: false });
    await sleep(34_000);
    await profiled.quit();
    await sleep(500);
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    // Samples of the warm-up (start-up, trend seed, first refresh) are left out.
    if (file) profiles['watch-process'] = summarize(JSON.parse(readFileSync(join(profDir, file), 'utf8')), 10, { skipMs: profiled.warmUpMs });
  }
  const shares = windows.map((w) => (100 * w.cpuMs) / w.wallMs);
  results.watch = {
    rows: inproc.rows,
    virtualServices: WATCH_VS,
    inproc,
    idle: {
      windows,
      sharePercent: median(shares),
      userPercent: median(windows.map((w) => (100 * w.userMs) / w.wallMs)),
      systemPercent: median(windows.map((w) => (100 * w.systemMs) / w.wallMs)), allSharesPercent: shares.map((s) => Math.round(s * 100) / 100), peakRssMB, quitWithQ: exited, clkTck: clk },
    startup: { firstRefreshMs: session.firstRefreshMs, cpuMs: ((session.startTicks.user + session.startTicks.system) * 1000) / clk },
  };
}

// ---------------------------------------------------------------------------------------------
// start-up: --version, a tiny check, and the module graph of check

async function benchStartup(evalAt) {
  log('start-up');
  const runs = Math.max(RUNS, 10);
  const bare = stats(await repeat(runs, () => timed(process.execPath, ['-e', '0'])));
  const version = stats(await repeat(runs, () => timed(process.execPath, [CLI, '--version'])));
  const helloArgs = [CLI, 'check', '-f', 'examples/helloworld', '--prometheus', proxy.url, '--at', String(evalAt), '-o', 'json'];
  const hello = stats(await repeat(runs, () => timed(process.execPath, helloArgs)));
  // Module graph through a resolve hook (as test/cli/module-graph.test.ts does).
  const dir = join(work, 'trace');
  mkdirSync(dir);
  const trace = join(dir, 'modules.txt');
  writeFileSync(trace, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  appendFileSync(${JSON.stringify(trace)}, result.url + '\\n');\n  return result;\n}\n`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  await timed(process.execPath, helloArgs, { extraEnv: { NODE_OPTIONS: `--import=${join(dir, 'register.mjs')}` } });
  const urls = [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
  const files = urls.filter((u) => u.startsWith('file:'));
  const packages = {};
  let ours = 0;
  let bytes = 0;
  // The bin is a bundle: a loaded file of dist/bin stands for the sources esbuild put in it.
  const meta = JSON.parse(readFileSync(join(SNAPSHOT, 'dist/bin/meta.json'), 'utf8'));
  for (const u of files) {
    const path = fileURLToPath(u);
    try {
      bytes += statSync(path).size;
    } catch {
      // not a file
    }
    const output = meta.outputs[relative(SNAPSHOT, path)];
    for (const source of output ? Object.keys(output.inputs) : [path]) {
      const pkg = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
      if (pkg) packages[pkg[1]] = (packages[pkg[1]] ?? 0) + 1;
      else ours += 1;
    }
  }
  const builtins = urls.filter((u) => u.startsWith('node:')).length;
  const forbidden = Object.keys(packages).filter((p) => /^(ink|react|react-reconciler|yoga-layout)$/.test(p));
  results.startup = { bare, version, hello, graph: { modules: files.length, ours, builtins, bytes, packages, inkOrReact: forbidden } };
}

// ---------------------------------------------------------------------------------------------
// RESULTS.md

function verdict(ok, by) {
  return ok ? 'met' : `**MISSED**${by ? ` (${by})` : ''}`;
}

function profileSection(name, title) {
  const p = profiles[name];
  if (!p) return '';
  if (p.totalMs < 20) return `**${title}** — ${p.totalMs} ms of samples: nothing to show.\n`;
  const lines = [`**${title}** — ${p.totalMs} ms of samples${p.idleMs ? ` (+${p.idleMs} ms idle)` : ''}.`, '', '| self time | % | function — file:line |', '|---:|---:|---|'];
  for (const row of p.self.slice(0, 8)) lines.push(`| ${row.ms} ms | ${row.pct} | \`${row.name.replace(/\|/g, '\\|')}\` |`);
  lines.push('', '| inclusive | % | package / file on the stack |', '|---:|---:|---|');
  for (const row of p.packages.filter((r) => !/^(node:internal|runMicrotasks|processTicksAndRejections|evaluate|\(root\))/.test(r.name)).slice(0, 8)) lines.push(`| ${row.ms} ms | ${row.pct} | ${row.name} |`);
  return `${lines.join('\n')}\n`;
}

function writeReport() {
  const r = results;
  const md = [];
  md.push('# mesh-split benchmark results', '');
  md.push(`Written by \`npm run bench\` (\`bench/run.mjs\`) on ${r.date}. Raw numbers: \`bench/results.json\`. Every figure is the **median of ${r.runs} runs** unless the row says otherwise; wall times are whole processes (spawn to exit) unless marked in-process.`, '');
  md.push('## Machine', '');
  md.push('| | |', '|---|---|');
  md.push(`| CPU | ${r.machine.cpu}, \`nproc\` = ${r.machine.nproc} |`);
  md.push(`| memory | ${r.machine.memory} |`);
  md.push(`| OS | ${r.machine.kernel} |`);
  md.push(`| Node | ${r.machine.node} |`);
  md.push(`| Prometheus | ${r.machine.prometheus} |`);
  md.push(`| parsers | yaml ${r.machine.yaml}, js-yaml ${r.machine.jsYaml} (dev dependency, floor only) |`);
  md.push(`| mesh-split | ${r.machine.meshSplit} |`);
  md.push(`| load average | ${r.machine.loadStart} at start, ${r.machine.loadEnd} at end (other processes on the machine add noise to wall times; CPU times are per process) |`);
  md.push(`| bench duration | ${Math.round(r.durationSeconds)} s |`, '');

  // Summary
  md.push('## Summary', '');
  md.push('| figure | measured | floor | ratio | target | |', '|---|---:|---:|---:|---|---|');
  const big = Math.max(...r.sizes);
  for (const format of ['yaml', 'json']) {
    const row = r.resolve.rows.find((x) => x.format === format && x.n === big);
    md.push(`| resolve: \`routes -o json\`, ${big} VS, ${format.toUpperCase()} | ${fmtMs(row.mesh.wallMs)} | ${fmtMs(row.floorMs)} (${row.floorParser}) | ${fmtX(row.ratio)} | ≤ 1.5× | ${verdict(row.ratio <= 1.5, `${fmtX(row.ratio / 1.5)} over`)} |`);
  }
  for (const format of ['yaml', 'json']) {
    const g = r.resolve.growth[format];
    const last = g[g.length - 1];
    const first = g[0];
    const bend = last.cpuMsPerVs / first.cpuMsPerVs;
    md.push(`| resolve: growth, ${format.toUpperCase()} (CPU ms per extra VS, ${first.from}→${first.to} vs ${last.from}→${last.to}) | ${first.cpuMsPerVs.toFixed(2)} → ${last.cpuMsPerVs.toFixed(2)} | ${first.floorCpuMsPerVs.toFixed(2)} → ${last.floorCpuMsPerVs.toFixed(2)} | ${bend.toFixed(2)} | linear (≈ 1) | ${verdict(bend <= 1.3, `marginal cost grows ${bend.toFixed(2)}×`)} |`);
  }
  const lineOk = r.resolve.rows.every((x) => x.lines.ok);
  md.push(`| resolve: file and line still reported | ${lineOk ? 'every weight line right' : 'WRONG lines'} | | | yes | ${verdict(lineOk)} |`);
  for (const ev of r.evaluate.rows.filter((x) => x.n === big)) {
    md.push(`| evaluate: \`check\`, ${big} VS × 3 versions × ${SOURCES} sources, ${ev.format.toUpperCase()} List${ev.mesh.runs !== r.runs ? ` (${ev.mesh.runs} runs)` : ''} | ${fmtMs(ev.mesh.wallMs)} | ${fmtMs(ev.floorMs)} | ${fmtX(ev.ratio)} | ≤ 2× | ${verdict(ev.ratio <= 2, `${fmtX(ev.ratio / 2)} over`)} |`);
  }
  const yamlRows = r.evaluate.rows.filter((x) => x.format === 'yaml');
  const reqs = yamlRows.map((x) => median(x.requests.perRun));
  const constant = reqs.every((x) => x === reqs[0]);
  md.push(`| evaluate: HTTP requests per \`check\` (${yamlRows.map((x) => x.n).join(' / ')} VS) | ${reqs.join(' / ')} | | | constant | ${verdict(constant)} |`);
  const w = r.watch;
  md.push(`| watch: CPU per refresh, ${w.rows} rows (in-process, \`refresh()\` + rows) | ${w.inproc.medianRefreshCpuMs.toFixed(0)} ms + ${w.inproc.medianRowsCpuMs.toFixed(1)} ms | | | < 50 ms | ${verdict(w.inproc.medianRefreshCpuMs + w.inproc.medianRowsCpuMs < 50, `${fmtX((w.inproc.medianRefreshCpuMs + w.inproc.medianRowsCpuMs) / 50)} over`)} |`);
  md.push(`| watch: CPU per refresh incl. the Ink screen (in-process; median of ${w.inproc.screenRefreshCpuMs.length}, mean ${mean(w.inproc.screenRefreshCpuMs).toFixed(0)} ms) | ${w.inproc.medianScreenRefreshCpuMs.toFixed(0)} ms | | | < 50 ms | ${verdict(w.inproc.medianScreenRefreshCpuMs < 50, `${fmtX(w.inproc.medianScreenRefreshCpuMs / 50)} over`)} |`);
  md.push(`| watch: start-up to the first refresh, ${w.rows} rows (real process in a pty; trend seeded first) | ${fmtMs(w.startup.firstRefreshMs)} (${fmtMs(w.startup.cpuMs)} CPU) | | | | — |`);
  md.push(`| watch: CPU share while idle, --interval 5s, ${w.rows} rows (real process in a pty) | ${w.idle.sharePercent.toFixed(2)} % | | | < 2 % | ${verdict(w.idle.sharePercent < 2, `${fmtX(w.idle.sharePercent / 2)} over`)} |`);
  const s = r.startup;
  md.push(`| start-up: \`mesh-split --version\` | ${fmtMs(s.version.wallMs)} | ${fmtMs(s.bare.wallMs)} (\`node -e 0\`) | ${fmtX(s.version.wallMs / s.bare.wallMs)} | small | — |`);
  md.push(`| start-up: Ink/React in \`check\`'s module graph | ${s.graph.inkOrReact.length ? s.graph.inkOrReact.join(', ') : 'none'} | | | none | ${verdict(s.graph.inkOrReact.length === 0)} |`, '');

  // Resolve details
  md.push('## resolve: `routes -o json` on kubectl-style Lists', '');
  md.push(`Generated by \`bench/generate.mjs\`: a \`kind: List\` as \`kubectl get vs,dr,svc -A -o yaml|json\` prints it — N VirtualServices (one HTTP route, three weighted subsets, retries, timeout), N DestinationRules (three subsets, a traffic policy) and N Services (kubectl's full Service shape), spread over ${NAMESPACES} namespaces, with kubectl's metadata (uid, resourceVersion, creationTimestamp, generation). JSON is 4-space indented like \`kubectl -o json\`. Note: these files are about three times larger per VirtualService than the issue's 1.4 MB / 2,000 VS reference, because DestinationRules and Services are in them too.`, '');
  md.push('"CPU" is user + system time of the whole process (from `/usr/bin/time -v`): less sensitive than wall time to other load on the machine, and it includes V8\'s parallel GC threads.', '');
  md.push('Floor = the fastest bare node process that reads the file and parses it (`bench/floor-parse.mjs`): for YAML the faster of `js-yaml` `loadAll` and `yaml` `parseAllDocuments(…).map(toJS)`; for JSON, `JSON.parse`. `js-yaml` and `yaml` on the JSON file are shown for reference. "parse" columns are the in-process parse time alone.', '');
  md.push('| input | size | `routes` wall | `routes` CPU | peak RSS | floor wall | ratio (wall) | ratio (CPU) | JSON.parse wall (parse), RSS | js-yaml wall (parse), RSS | yaml wall (parse), RSS | lines checked |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const row of r.resolve.rows) {
    const f = row.floors;
    const cell = (p) => (f[p] ? `${fmtMs(f[p].wallMs)} (${fmtMs(f[p].parseMs)}), ${fmtMB(f[p].rssMB)}` : '–');
    const floorCpu = row.floors[row.floorParser].cpuMs;
    md.push(`| ${row.n} VS, ${row.format.toUpperCase()} | ${fmtBytes(row.bytes)} | ${fmtMs(row.mesh.wallMs)} | ${fmtMs(row.mesh.cpuMs)} | ${fmtMB(row.mesh.rssMB)} | ${fmtMs(row.floorMs)} | **${fmtX(row.ratio)}** | ${fmtX(row.mesh.cpuMs / floorCpu)} | ${cell('json')} | ${cell('js-yaml')} | ${cell('yaml')} | ${row.lines.virtualServiceLinesRight}/${row.lines.virtualServices} VS lines, ${row.lines.weightLinesRight}/${row.lines.destinations} weight lines right${row.lines.findings ? `, ${row.lines.findings} findings` : ''}${row.lines.ok ? '' : ' — **WRONG**'} |`);
  }
  md.push('');
  md.push('Growth (marginal cost per additional VirtualService — constant means linear; the verdict uses CPU, which other load on the machine disturbs less):', '');
  md.push('| format | sizes | `routes` wall ms/VS | `routes` CPU ms/VS | floor wall ms/VS | floor CPU ms/VS |', '|---|---|---:|---:|---:|---:|');
  for (const format of ['yaml', 'json']) for (const g of r.resolve.growth[format]) md.push(`| ${format.toUpperCase()} | ${g.from} → ${g.to} | ${g.msPerVs.toFixed(3)} | ${g.cpuMsPerVs.toFixed(3)} | ${g.floorMsPerVs.toFixed(3)} | ${g.floorCpuMsPerVs.toFixed(3)} |`);
  md.push('');
  md.push(`All runs (ms): ${r.resolve.rows.map((row) => `${row.n}/${row.format}: ${row.mesh.wallAllMs.join(', ')}`).join('; ')}.`, '');

  // Evaluate
  const p = r.prometheus;
  md.push('## evaluate: `check` against a real Prometheus', '');
  md.push(`Prometheus (${r.machine.prometheus}) on 127.0.0.1, backfilled with \`promtool tsdb create-blocks-from openmetrics\` (${p.samples.toLocaleString('en')} samples, ${fmtBytes(p.inputBytes)} of OpenMetrics, ${p.backfillSeconds.toFixed(1)} s): \`istio_requests_total{reporter="source"}\` for ${p.virtualServices} VirtualServices × ${VERSIONS.length} versions × ${SOURCES} source workloads = ${p.series.toLocaleString('en')} series, three samples each inside the 5m window before the evaluation instant (\`check --at ${p.evalAt}\`). Traffic follows the declared weights except every 20th VirtualService (drifts 12 points) and every 25th (almost no traffic → inconclusive). \`check -f LIST --prometheus PROXY --at T -o json\` goes through a counting loopback proxy (\`bench/proxy.mjs\`). Floor = median \`node -e 0\` (${fmtMs(r.evaluate.nodeBare.wallMs)}) + median \`curl\` of the very request \`check\` sent (method, form body, content type, and \`--compressed\` because axios asks for gzip), replayed through the same proxy. The query names every destination FQDN in one \`=~\` regex; the answer has one series per source workload × Service × version.`, '');
  md.push('| VirtualServices | `check` wall | `check` CPU | peak RSS | requests to Prometheus | answer on the wire | curl | floor | ratio | verdicts |', '|---:|---:|---:|---:|---|---:|---:|---:|---:|---|');
  for (const row of r.evaluate.rows) {
    const sent = row.requests.sent.map((q) => `${q.method} ${q.path} (${fmtBytes(q.requestBytes)} sent)`).join(', ');
    const answer = row.requests.sent.reduce((sum, q) => sum + q.responseBytes, 0);
    const encodings = [...new Set(row.requests.sent.map((q) => q.encoding))].join(', ');
    md.push(`| ${row.n}, ${row.format.toUpperCase()} List${row.mesh.runs !== r.runs ? ` (${row.mesh.runs} runs)` : ''} | ${fmtMs(row.mesh.wallMs)} | ${fmtMs(row.mesh.cpuMs)} | ${fmtMB(row.mesh.rssMB)} | ${median(row.requests.perRun)}: ${sent} | ${fmtBytes(answer)} (${encodings}) | ${fmtMs(row.curl.wallMs)} | ${fmtMs(row.floorMs)} | **${fmtX(row.ratio)}** | ${Object.entries(row.statuses).map(([k, v]) => `${v} ${k}`).join(', ')} |`);
  }
  md.push('');
  md.push(`All runs (ms): ${r.evaluate.rows.map((row) => `${row.n}/${row.format}: ${row.mesh.wallAllMs.join(', ')}`).join('; ')}.`, '');

  // Watch
  md.push('## watch', '');
  md.push(`List of ${w.virtualServices} VirtualServices × 3 subsets = **${w.rows} rows**; their series also carry samples around "now" (watch has no \`--at\`), same Prometheus, through the proxy.`, '');
  md.push(`- **In-process** (\`bench/watch-inproc.mjs\`, its own node process): a \`WatchLoop\` over \`liveManifests\` (file unchanged, so fingerprint only) calling \`refresh()\`, CPU = \`process.cpuUsage()\` user+system across it; then \`buildRows\` → \`sortRows\` → \`filterRows\`. Median of ${w.inproc.refreshCpuMs.length} warm refreshes after one cold one.`);
  md.push(`  - refresh CPU: **${w.inproc.medianRefreshCpuMs.toFixed(1)} ms** (all: ${w.inproc.refreshCpuMs.map((x) => x.toFixed(0)).join(', ')}); wall ${w.inproc.medianRefreshWallMs.toFixed(0)} ms; rows: ${w.inproc.medianRowsCpuMs.toFixed(2)} ms; cold first refresh (parses the List): ${w.inproc.coldRefresh.cpuMs.toFixed(0)} ms CPU.`);
  md.push(`  - with the Ink screen (the real \`App\` rendered to an off-screen 160×50 terminal): CPU from \`refresh()\` until the new frame is written, minus the average clock-tick cost over that span: **${w.inproc.medianScreenRefreshCpuMs.toFixed(0)} ms** median, ${mean(w.inproc.screenRefreshCpuMs).toFixed(0)} ms mean, ${w.inproc.screenRefreshCpuMs.filter((x) => x >= 50).length} of ${w.inproc.screenRefreshCpuMs.length} at 50 ms or more (all: ${w.inproc.screenRefreshCpuMs.map((x) => x.toFixed(0)).join(', ')}). The slow ones are those that set off a full collection (V8's concurrent marking threads count: this is the process's CPU).`);
  md.push(`  - between refreshes, with nothing new to show (no keys, no countdown), the screen costs **${w.inproc.tickPerSecondCpuMs.toFixed(1)} ms CPU per second** (clock re-renders; ${w.inproc.framesPerSecondIdle.toFixed(1)} frames/s written).`);
  md.push(`  - queries sent: ${w.inproc.queriesSent} instant queries for ${w.inproc.refreshesRun} refreshes (one per refresh).`);
  md.push(`  - React build: **${w.inproc.reactBuild ?? 'unknown'}** (NODE_ENV=${w.inproc.nodeEnv ?? 'unset'}; \`watch\` and \`demo\` set NODE_ENV=production unless it is set, and the bench does the same); colour level ${w.inproc.chalkLevel ?? '?'} (drawn in colour, as a user sees it).`);
  const perRefresh = mean(w.inproc.screenRefreshCpuMs);
  md.push(`  - expected idle share from these: (${w.inproc.tickPerSecondCpuMs.toFixed(0)} ms clock per second × 5 + ${perRefresh.toFixed(0)} ms per refresh, the mean) / 5 s ≈ ${((w.inproc.tickPerSecondCpuMs * 5 + perRefresh) / 50).toFixed(1)} % of a core.`);
  md.push(`- **Start-up** of that real process: its first refresh ${fmtMs(w.startup.firstRefreshMs)} after spawn (reading the List, one range query per template to seed the trend, then the first instant query), ${fmtMs(w.startup.cpuMs)} CPU by then.`, '');
  md.push(`- **Idle share** (real \`mesh-split watch --interval 5s\` in a pseudo-terminal from \`script\`, 160×50, no keys pressed): CPU from \`/proc/PID/stat\` (utime+stime) over ${w.idle.windows.length} consecutive ${IDLE_WINDOW_SECONDS} s windows of one process after a warm-up, refreshes included — median **${w.idle.sharePercent.toFixed(2)} %** of one core, ${w.idle.userPercent.toFixed(2)} % user + ${w.idle.systemPercent.toFixed(2)} % system (windows: ${w.idle.allSharesPercent.join(' %, ')} %; ${w.idle.windows.map((x) => x.refreshes).join('/')} requests per window); peak RSS ${w.idle.peakRssMB.toFixed(0)} MB; quit with \`q\`: ${w.idle.quitWithQ ? 'yes' : 'no (killed)'}. One process measured in ${w.idle.windows.length} windows, not ${r.runs} processes.`, '');

  // Start-up
  md.push('## start-up', '');
  md.push('| command | wall | CPU | peak RSS |', '|---|---:|---:|---:|');
  md.push(`| \`node -e 0\` | ${fmtMs(s.bare.wallMs)} | ${fmtMs(s.bare.cpuMs)} | ${fmtMB(s.bare.rssMB)} |`);
  md.push(`| \`mesh-split --version\` | ${fmtMs(s.version.wallMs)} | ${fmtMs(s.version.cpuMs)} | ${fmtMB(s.version.rssMB)} |`);
  md.push(`| \`mesh-split check -f examples/helloworld -o json\` (real Prometheus, one query) | ${fmtMs(s.hello.wallMs)} | ${fmtMs(s.hello.cpuMs)} | ${fmtMB(s.hello.rssMB)} |`);
  md.push('');
  const pk = Object.entries(s.graph.packages).sort((a, b) => b[1] - a[1]);
  md.push(`Module graph of that \`check\` (resolve hook, as in \`test/cli/module-graph.test.ts\`): **${s.graph.modules} files loaded** (${fmtBytes(s.graph.bytes)}; the bin is an esbuild bundle, \`scripts/bundle.mjs\`) + ${s.graph.builtins} \`node:\` built-ins; the source modules inside them (from \`dist/bin/meta.json\`): ${s.graph.ours} of ours; packages: ${pk.map(([name, count]) => `${name} ${count}`).join(', ')}. Ink or React loaded: **${s.graph.inkOrReact.length ? s.graph.inkOrReact.join(', ') : 'no'}** (also asserted by \`test/cli/module-graph.test.ts\`).`, '');

  // Profiles
  if (Object.keys(profiles).length) {
    md.push('## Where the time goes (CPU profiles)', '');
    md.push('One extra run of each under the V8 sampling profiler (`node --cpu-prof --cpu-prof-interval=200`, or the inspector for the in-process watch phases), summarised by `bench/cpuprofile-top.mjs`. The `routes` and `check` profiles run the unbundled build (`dist/src/cli/main.js`: the same code, one file per module) so that samples name our source files. "self" is time in the function itself; "inclusive" counts a sample for every package/file on its stack. Open the `.cpuprofile` files (kept with `--keep`) in Chrome DevTools for the full picture.', '');
    md.push(profileSection('routes-yaml', `\`routes -o json\`, ${big} VS, YAML`));
    md.push(profileSection('routes-json', `\`routes -o json\`, ${big} VS, JSON`));
    md.push(profileSection('check', `\`check\`, ${big} VS, YAML List`));
    md.push(profileSection('check-json', `\`check\`, ${big} VS, JSON List`));
    md.push(profileSection('watch-refresh', `watch: ${w.inproc.refreshCpuMs.length} warm \`refresh()\` calls, ${w.rows} rows`));
    md.push(profileSection('watch-screen-refresh', `watch with the Ink screen: ${w.inproc.screenRefreshCpuMs.length} refreshes`));
    md.push(profileSection('watch-idle-clock', 'watch screen, 5 s of idle (clock re-renders only)'));
    md.push(profileSection('watch-process', 'the real `watch` process in the pty: the ≈ 30 s after its warm-up, until `q` (start-up, trend seed and first refresh left out)'));
  }

  // Reproduce
  md.push('## Reproduce', '');
  md.push('```sh');
  md.push('npm ci                      # js-yaml is a devDependency, used only by the floor');
  md.push('npm run bench               # = npm run build && node scripts/bundle.mjs --bench && node bench/run.mjs  (~5 min on 2 cores)');
  md.push('node bench/run.mjs --quick  # sizes 100 and 500, 3 runs: a quick look');
  md.push('node bench/run.mjs --keep   # keep the work dir: Lists, outputs, .cpuprofile files');
  md.push('');
  md.push('# one resolve figure by hand');
  md.push('node bench/generate.mjs list 2000 yaml > /tmp/list-2000.yaml');
  md.push('node bench/generate.mjs list 2000 json > /tmp/list-2000.json');
  md.push('/usr/bin/time -v node dist/bin/mesh-split.js routes -f /tmp/list-2000.yaml -o json > /dev/null');
  md.push('/usr/bin/time -v node bench/floor-parse.mjs js-yaml /tmp/list-2000.yaml   # or: yaml, json (for the .json file)');
  md.push('');
  md.push('# evaluate and watch by hand: start Prometheus + the counting proxy over the generated data');
  md.push('node bench/run.mjs --serve   # prints PROXY, T and the List paths; Ctrl-C stops');
  md.push('/usr/bin/time -v node dist/bin/mesh-split.js check -f LIST-2000.yaml --prometheus $PROXY --at $T -o json > /dev/null');
  md.push('node -e 0; curl -s -o /dev/null --compressed -X POST -H "content-type: application/x-www-form-urlencoded" --data-binary @query.body "$PROXY/api/v1/query"');
  md.push('node scripts/bundle.mjs --bench  # once after a build: the bundled watch internals');
  md.push('node bench/watch-inproc.mjs --file LIST-167.yaml --prometheus $PROXY');
  md.push('script -qfec "stty cols 160 rows 50; exec node dist/bin/mesh-split.js watch -f LIST-167.yaml --prometheus $PROXY" /dev/null');
  md.push('node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bin/mesh-split.js routes -f /tmp/list-2000.yaml -o json > /dev/null');
  md.push('node bench/cpuprofile-top.mjs /tmp/prof/*.cpuprofile');
  md.push('```', '');
  // The history of changes made from these figures is kept by hand in bench/CHANGES.md.
  const changes = join(BENCH, 'CHANGES.md');
  if (existsSync(changes)) md.push(readFileSync(changes, 'utf8'));
  writeFileSync(join(BENCH, 'RESULTS.md'), `${md.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------

try {
  if (opts.serve) {
    const evalAt = await setUpPrometheus();
    for (const n of Object.keys(lists)) console.log(`LIST-${n}: ${lists[n].yaml}${SIZES.includes(Number(n)) ? ` ${lists[n].json}` : ''}`);
    console.log(`PROXY=${proxy.url}  (Prometheus ${prom.url})\nT=${evalAt}\nrequests through the proxy are logged on stderr, the last query's body is saved as ${join(work, 'query.body')}; Ctrl-C stops`);
    setInterval(() => {
      if (proxy.requests.length) {
        for (const q of proxy.requests.splice(0)) {
          log(`${q.method} ${q.path.slice(0, 60)} → ${q.status}, ${fmtBytes(q.responseBytes)}`);
          if (q.path.startsWith('/api/v1/query')) writeFileSync(join(work, 'query.body'), q.body);
        }
      }
    }, 500);
    await new Promise(() => undefined);
  }
  await benchResolve();
  const evalAt = await setUpPrometheus();
  await benchWatch();
  await benchEvaluate(evalAt);
  await benchStartup(evalAt);
  results.machine.loadEnd = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  results.durationSeconds = (Date.now() - started) / 1000;
  results.profiles = profiles;
  writeFileSync(join(BENCH, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeReport();
  log(`wrote bench/RESULTS.md and bench/results.json${opts.keep ? `; work dir kept: ${work}` : ''}`);
} finally {
  await proxy?.close();
  await prom?.stop();
}
