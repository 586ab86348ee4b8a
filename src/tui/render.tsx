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
  const app = render(
    <ThemeContext value={{ color }}>
      <App loop={loop} prometheus={loop.source.connection.displayUrl} window={window} intervalSeconds={intervalSeconds} demoScenario={demoScenario} />
    </ThemeContext>,
    { exitOnCtrlC: true },
  );
  await app.waitUntilExit();
  loop.stop();
}
