import type { ChalkInstance } from 'chalk';
import { WatchLoop, type WatchSource } from '../tui/loop.js';
import { checkText } from '../report/check/text.js';
import { tuneHeapForWatch } from './watch-heap.js';

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
  tuneHeapForWatch();
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
      const shown = printed ? `showing data from ${printed.toISOString()}` : 'no data yet';
      process.stderr.write(`mesh-split: ${data.error} (${shown}; retrying at ${data.nextRetryAt?.toISOString() ?? '-'})\n`);
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
