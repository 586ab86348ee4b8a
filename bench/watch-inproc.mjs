// CPU per `watch` refresh, measured in-process (its own node process, so nothing else of the
// benchmark runs here). Prints one JSON object.
//
//   node bench/watch-inproc.mjs --file LIST --prometheus URL [--runs 7]
//   (after `npm run build && node scripts/bundle.mjs --bench`, which `npm run bench` runs)
//
// Two measurements, each a median over --runs refreshes after one cold (first) refresh:
//  - data: `WatchLoop.refresh()` alone (manifests unchanged → fingerprint only; plan, one query,
//    judge, report) plus building the table rows (`buildRows` → `sortRows` → `filterRows`);
//  - screen: the Ink App rendered to an off-screen 160×50 terminal, CPU from `refresh()` until
//    Ink has drawn the new frame (refresh + React + layout + terminal writes). The App also
//    re-renders once a second for its clock; that cost is measured separately (`tick`).
//
// React runs the build a user gets: `watch` and `demo` set NODE_ENV to production (unless the
// user set it) before they load Ink and React (src/cli/watch-session.ts); so does this script,
// the same way, before it imports them. The output says which (`nodeEnv`, `reactBuild`).
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

// As `watch` does (src/cli/watch-session.ts), before React is first loaded.
process.env.NODE_ENV ??= 'production';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    // The built program to measure (default: ../dist next to this file).
    dist: { type: 'string' },
    prometheus: { type: 'string' },
    runs: { type: 'string', default: '7' },
    interval: { type: 'string', default: '5' },
    // Also write CPU profiles of the warm data refreshes, the screen refreshes and the idle clock.
    profile: { type: 'string' },
  },
});

let session = null;
/** Runs `fn` under the V8 profiler when --profile is given; the profile goes to DIR/NAME.cpuprofile. */
async function profiled(name, fn) {
  if (!values.profile) return fn();
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
  }
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(values.profile, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}
const runs = Number(values.runs);
const dist = values.dist ? pathToFileURL(`${values.dist}/`) : new URL('../dist/', import.meta.url);
// V8's collector set as `watch` sets it, by the same function.
(await import(new URL('src/cli/watch-heap.js', dist))).tuneHeapForWatch();
// The bundled build, as the bin runs it (scripts/bundle.mjs, from bench/watch-entry.mjs); with
// --profile, the unbundled one, so that samples name our source files and packages.
const watch = values.profile
  ? {
      ...(await import(new URL('src/tui/loop.js', dist))),
      ...(await import(new URL('src/manifests/live.js', dist))),
      ...(await import(new URL('src/prometheus/connection.js', dist))),
      ...(await import(new URL('src/tui/rows.js', dist))),
      ...(await import(new URL('src/tui/App.js', dist))),
      ...(await import(new URL('src/tui/theme.js', dist))),
      React: (await import('react')).default,
      render: (await import('ink')).render,
      chalk: (await import('chalk')).default,
    }
  : await import(new URL('bench/watch.js', dist));
const { WatchLoop, liveManifests, createConnection, buildRows, sortRows, filterRows } = watch;

const cpuMs = (since) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let refreshCalls = 0;
function newLoop() {
  const loop = new WatchLoop(
    {
      manifests: liveManifests({ filenames: [values.file] }),
      connection: createConnection({ url: values.prometheus, timeoutMs: 60_000 }),
      options: { settings: {} },
    },
    // No timer: the benchmark calls refresh() itself.
    { intervalSeconds: Number(values.interval), setTimer: () => null, clearTimer: () => undefined },
  );
  // Count every refresh (start() calls this.refresh() too), to relate queries sent to refreshes.
  const refresh = loop.refresh.bind(loop);
  loop.refresh = () => {
    refreshCalls += 1;
    return refresh();
  };
  return loop;
}

async function measureData() {
  const loop = newLoop();
  const time = async (fn) => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const result = await fn();
    return { cpuMs: cpuMs(cpu), wallMs: performance.now() - wall, result };
  };
  const cold = await time(() => loop.refresh());
  if (loop.state.error) throw new Error(`refresh failed: ${loop.state.error}`);
  const refresh = [];
  const view = [];
  let rows = 0;
  if (values.profile) {
    // Profiled separately so that the profiler's overhead stays out of the timed runs.
    await profiled('watch-refresh', async () => {
      for (let i = 0; i < runs; i++) await loop.refresh();
    });
  }
  for (let i = 0; i < runs; i++) {
    const r = await time(() => loop.refresh());
    if (loop.state.error) throw new Error(`refresh failed: ${loop.state.error}`);
    refresh.push(r);
    const v = await time(() => filterRows(sortRows(buildRows(loop.state, Date.now() / 1000), 'drift'), ''));
    rows = v.result.length;
    view.push(v);
  }
  loop.stop();
  const statuses = {};
  for (const result of loop.state.report.results) statuses[result.status] = (statuses[result.status] ?? 0) + 1;
  return {
    rows,
    routes: loop.state.report.results.length,
    statuses,
    coldRefresh: { cpuMs: cold.cpuMs, wallMs: cold.wallMs },
    refreshCpuMs: refresh.map((r) => r.cpuMs),
    refreshWallMs: refresh.map((r) => r.wallMs),
    rowsCpuMs: view.map((r) => r.cpuMs),
    medianRefreshCpuMs: median(refresh.map((r) => r.cpuMs)),
    medianRefreshWallMs: median(refresh.map((r) => r.wallMs)),
    medianRowsCpuMs: median(view.map((r) => r.cpuMs)),
  };
}

class FakeStdout extends EventEmitter {
  columns = 160;
  rows = 50;
  isTTY = true;
  bytes = 0;
  frames = 0;
  write = (chunk) => {
    this.bytes += chunk.length;
    this.frames += 1;
    return true;
  };
}
class FakeStdin extends EventEmitter {
  isTTY = true;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => null;
}

async function measureScreen() {
  const { React, render, chalk, App, ThemeContext } = watch;
  // The screen in colour, as a user's terminal gets it: renderWatch (src/tui/render.tsx) raises
  // chalk's level when colour is on, since chalk guesses 0 when stdout is not a terminal (here a
  // pipe), which would leave every escape sequence out of what Ink has to lay out and draw.
  if (chalk.level === 0) chalk.level = 1;
  chalkLevel = chalk.level;
  const loop = newLoop();
  const stdout = new FakeStdout();
  const app = render(
    React.createElement(ThemeContext, { value: { color: true } }, React.createElement(App, { loop, prometheus: values.prometheus, window: '5m', intervalSeconds: Number(values.interval) })),
    { stdout, stderr: new FakeStdout(), stdin: new FakeStdin(), exitOnCtrlC: false, patchConsole: false },
  );
  // useWatch() calls loop.start(): the trend seed (one range query) and a first refresh.
  for (let i = 0; i < 600 && !loop.state.report; i++) await sleep(50);
  if (!loop.state.report) throw new Error(`no report on screen: ${loop.state.error}`);
  await sleep(1500);

  // The once-a-second clock re-render with nothing new (what idle costs besides refreshes):
  // CPU over a few whole seconds, per second.
  const tickCpu = process.cpuUsage();
  const frames0 = stdout.frames;
  await sleep(5000);
  const tickPerSecondMs = cpuMs(tickCpu) / 5;
  const framesPerSecond = (stdout.frames - frames0) / 5;
  await profiled('watch-idle-clock', () => sleep(5000));
  await profiled('watch-screen-refresh', async () => {
    for (let i = 0; i < runs; i++) {
      await loop.refresh();
      await sleep(300);
    }
  });

  const screen = [];
  for (let i = 0; i < runs; i++) {
    // Measure from refresh() until the frame is written (Ink throttles to 30 fps), then 250 ms more.
    const frames = stdout.frames;
    const wall = performance.now();
    const cpu = process.cpuUsage();
    await loop.refresh();
    for (let k = 0; k < 100 && stdout.frames === frames; k++) await sleep(5);
    await sleep(250);
    // Minus the clock ticks that fell into the measured span (on average).
    screen.push(cpuMs(cpu) - (tickPerSecondMs * (performance.now() - wall)) / 1000);
    await sleep(300);
  }
  app.unmount();
  loop.stop();
  return { screenRefreshCpuMs: screen, medianScreenRefreshCpuMs: median(screen), tickPerSecondCpuMs: tickPerSecondMs, framesPerSecondIdle: framesPerSecond, bytesWritten: stdout.bytes };
}

let chalkLevel = null;
const data = await measureData();
const screen = await measureScreen();
// Which build of React was loaded: only the development build gives elements a `_store`
// (its key warnings); React's entry picks the reconciler's build the same way, by NODE_ENV.
const reactBuild = '_store' in watch.React.createElement('div') ? 'development' : 'production';
process.stdout.write(`${JSON.stringify({ ...data, ...screen, refreshCalls, nodeEnv: process.env.NODE_ENV, reactBuild, bundled: !values.profile, chalkLevel })}\n`);
process.exit(0);
