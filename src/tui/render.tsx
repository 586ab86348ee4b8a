import chalk from 'chalk';
import { render } from 'ink';
import { App } from './App.js';
import type { WatchLoop } from './loop.js';
import { ThemeContext } from './theme.js';

export interface RenderOptions {
  loop: WatchLoop;
  intervalSeconds: number;
  color: boolean;
  demoScenario?: string;
}

/** The thin entry: draws the App until the user quits; Ink restores the terminal on exit. */
export async function renderWatch({ loop, intervalSeconds, color, demoScenario }: RenderOptions): Promise<void> {
  // Ink colours through chalk's shared instance, whose guess ignores our --no-color decision.
  if (color && chalk.level === 0) chalk.level = 1;
  const window = loop.source.options.settings?.window ?? '5m';
  const stopClearing = clearScreenOnResize(process.stdout);
  const app = render(
    <ThemeContext value={{ color }}>
      <App loop={loop} prometheus={loop.source.connection.displayUrl} window={window} intervalSeconds={intervalSeconds} demoScenario={demoScenario} />
    </ThemeContext>,
    { exitOnCtrlC: true },
  );
  try {
    await app.waitUntilExit();
  } finally {
    stopClearing();
    loop.stop();
  }
}

/** Erase the visible screen, cursor to its top left (ECMA-48 ED 2, CUP). */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/**
 * Ink erases its last frame line by line before drawing the next. When the terminal narrows,
 * that frame's lines have wrapped into more rows than Ink erases, and their fragments stay above
 * the new frame. Clearing the screen first leaves nothing behind: this listener is added before
 * `render` adds Ink's, so it runs first. Only on narrowing, when Ink forgets its last frame and
 * draws it whole; otherwise it would skip an unchanged frame and leave the screen blank.
 */
function clearScreenOnResize(stdout: NodeJS.WriteStream): () => void {
  let columns = stdout.columns;
  const clear = () => {
    if (stdout.columns < columns) stdout.write(CLEAR_SCREEN);
    columns = stdout.columns;
  };
  stdout.on('resize', clear);
  return () => stdout.off('resize', clear);
}
