import { setFlagsFromString } from 'node:v8';
import type { ChalkInstance } from 'chalk';
import { WatchLoop, type WatchSource } from '../tui/loop.js';
import { checkText } from '../report/check/text.js';

export interface WatchSession {
  source: WatchSource;
  intervalSeconds: number;
  color: boolean;
  palette: ChalkInstance;
  /** Set for `demo`: the screen says the metrics are simulated. */
  demoScenario?: string;
  /** `demo --speed`: the mock's time runs this much faster. */
  speed?: number;
}

/**
 * Runs a watch: the Ink screen on a terminal; otherwise one plain report per refresh (logs,
 * pipes), so `watch` is useful under `tee` or in a CI step too. Ink is imported only here.
 */
export async function runWatchSession(session: WatchSession): Promise<void> {
  // A watch sleeps between refreshes, and V8's memory reducer takes each sleep for the end of the
  // work: up to three full, compacting collections that hand the heap back, which the next
  // refreshes grow again, round after round — about a third of an idle watch's CPU
  // (bench/CHANGES.md). One collection a round still returns the start-up garbage. V8 reads
  // this flag each time it decides, so setting it now takes effect (a V8 without the flag would
  // not throw, only print a line on stderr).
  setFlagsFromString('--memory-reducer-single-gc');
  // A watch wakes briefly and sleeps long, so V8 judges its allocation slow and lets the heap
  // grow only ~25 % past what lives after a full collection: with ~30 MB alive, a full
  // collection every other refresh, each ~50 ms of CPU (marking threads included). Growing to
  // twice the live heap (V8's own factor ranges from 1.1 to 4 by how busy a program is) makes
  // it about one refresh in seven (bench/CHANGES.md). Read at each collection, so it applies
  // from now on.
  setFlagsFromString('--heap-growing-percent=100');
  const loop = new WatchLoop(session.source, { intervalSeconds: session.intervalSeconds, speed: session.speed });
  if (process.stdout.isTTY && process.stdin.isTTY) {
    // React picks its build when first loaded, by NODE_ENV: unset, it would be the development
    // build, several times slower per frame. Set before Ink and React load (only here, so
    // `check` and the others never load them); a NODE_ENV the user set is kept.
    process.env.NODE_ENV ??= 'production';
    const { renderWatch } = await import('../tui/render.js');
    await renderWatch({ loop, intervalSeconds: session.intervalSeconds, color: session.color, demoScenario: session.demoScenario });
    // The user quit and Ink has restored the terminal. An evaluation may still be waiting on
    // Prometheus (up to --timeout): it must not hold the prompt back.
    process.exit();
  }
  await plainReports(loop, session);
}

async function plainReports(loop: WatchLoop, session: WatchSession): Promise<void> {
  let printed: Date | null = null;
  let failure: string | null = null;
  loop.subscribe((data) => {
    if (data.report && data.lastGoodAt && data.lastGoodAt !== printed) {
      printed = data.lastGoodAt;
      const banner = session.demoScenario ? `DEMO — simulated metrics (scenario ${session.demoScenario})\n` : '';
      process.stdout.write(`${banner}${checkText(data.report, session.palette)}\n\n`);
    }
    if (data.error && data.error !== failure) {
      process.stderr.write(`mesh-split: ${data.error} (showing data from ${printed?.toISOString() ?? 'never'}; retrying at ${data.nextRetryAt?.toISOString() ?? '-'})\n`);
    }
    failure = data.error;
  });
  // A signal ends the watch at once, even while an evaluation waits on Prometheus (up to
  // --timeout) or before the first one is done: the loop stops, then the process dies of the
  // signal itself, as an unhandled one would (shells show 130/143, and a script running `watch`
  // is interrupted too). Registered before the first evaluation, so no window misses it.
  const stop = (signal: NodeJS.Signals) => {
    loop.stop();
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    process.kill(process.pid, signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await loop.start();
  // Runs until a signal (or a closed stdout, see main.ts).
  await new Promise<never>(() => undefined);
}
