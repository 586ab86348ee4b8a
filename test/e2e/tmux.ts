import { execFileSync, spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Drives real programs in a tmux pane of a fixed size: send keys, read the screen. */
export class Pane {
  private constructor(readonly name: string) {}

  static open(name: string, command: string, size = { width: 140, height: 40 }): Pane {
    tmux('kill-session', '-t', name);
    execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(size.width), '-y', String(size.height), command]);
    return new Pane(name);
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  /** Types text literally (no key-name interpretation). */
  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, '-l', text]);
  }

  /** Resizes the window, as a user dragging the terminal's edge would (the program gets SIGWINCH). */
  resize(width: number, height: number): void {
    execFileSync('tmux', ['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  cursorVisible(): boolean {
    return execFileSync('tmux', ['display', '-p', '-t', this.name, '#{cursor_flag}'], { encoding: 'utf8' }).trim() === '1';
  }

  /** Waits (bounded) until the screen satisfies `test`; returns the screen or throws with it. */
  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen();
      if (test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
  }

  close(): void {
    tmux('kill-session', '-t', this.name);
  }
}

function tmux(...args: string[]): void {
  spawnSync('tmux', args, { stdio: 'ignore' });
}

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Like the Prometheus suites: skipped loudly without tmux, a failure where CI requires it. */
export function describeWithTmux(name: string, fn: () => void): void {
  if (tmuxAvailable()) {
    describe(name, fn);
    return;
  }
  if (process.env.MESH_SPLIT_REQUIRE_PROMETHEUS === '1') {
    describe(name, () => {
      it('needs tmux on PATH', () => {
        throw new Error('tmux not found on PATH — apt-get install tmux');
      });
    });
    return;
  }
  process.stderr.write(`\n!! SKIPPED: tmux not installed — apt-get install tmux (suite: ${name})\n\n`);
  describe.skipIf(true)(`${name} [SKIPPED: tmux not installed]`, fn);
}
