import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { INITIAL_UI, onKey, splitChunk } from '../../src/tui/keys.js';
import type { ScreenRow } from '../../src/tui/model.js';
import { CLI, ROOT } from '../support/cli.js';

const rows = ['a', 'b', 'c'].map((key) => ({ key, routeKey: key }) as ScreenRow);

describe('keys', () => {
  it('move, open details, filter, sort, pause, refresh, help and quit', () => {
    let state = INITIAL_UI;
    const press = (input: string, key = {}) => {
      const result = onKey(state, input, key, rows, 2);
      state = result.state;
      return result.effect;
    };
    press('', { downArrow: true });
    press('j');
    expect(state.selectedKey).toBe('c');
    press('k');
    press('', { pageUp: true });
    expect(state.selectedKey).toBe('a');
    press('', { return: true });
    expect(state.view).toBe('details');
    press('', { escape: true });
    expect(state.view).toBe('table');
    press('/');
    for (const character of 'rev') press(character);
    press('', { backspace: true });
    press('', { return: true });
    expect(state).toMatchObject({ view: 'table', filter: 're' });
    press('s');
    expect(state.sort).toBe('name');
    expect([press('p'), press('r')]).toEqual(['toggle-pause', 'refresh']);
    press('?');
    expect(state.view).toBe('help');
    press('?');
    expect(state.view).toBe('table');
    expect(press('q')).toBe('quit');
    expect(onKey(INITIAL_UI, '', { escape: true }, rows, 2).effect).toBe('quit');
  });

  it('a chunk of fast keys is pressed one by one', () => {
    expect(splitChunk('\rq', {})).toEqual([['', { return: true }], ['q', {}]]);
    expect(splitChunk('j', { ctrl: false })).toEqual([['j', { ctrl: false }]]);
  });
});

describe('watch without a terminal', () => {
  it('prints one plain report per refresh instead of drawing', async () => {
    const child = spawn(process.execPath, [CLI, 'demo', '--scenario', 'canary-drift', '--interval', '1s'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 40_000;
    while ((output.match(/DRIFT: /g) ?? []).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    expect((output.match(/DRIFT: 1 drift of 1 route/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(output).toContain('DEMO — simulated metrics (scenario canary-drift)');
    expect(output).not.toMatch(/\u001b\[\d*[ABJK]/);
  });
});
