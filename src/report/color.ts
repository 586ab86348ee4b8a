import { Chalk, type ChalkInstance } from 'chalk';

export interface ColorChoice {
  /** `--color` (true unless `--no-color`). */
  flag: boolean;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * Colour only when wanted and useful: `--no-color`, NO_COLOR (no-color.org: any non-empty
 * value) and TERM=dumb turn it off; FORCE_COLOR turns it on even without a terminal.
 */
export function colorEnabled({ flag, isTTY, env }: ColorChoice): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function palette(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
