import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadScenario } from '../../mocks/scenario/load.js';
import { MockPrometheus } from '../../mocks/server.js';
import { CLI, ROOT } from '../support/cli.js';
import { describeWithTmux, Pane } from './tmux.js';
import { scratchDirectory } from '../support/scratch.js';

const panes: Pane[] = [];
const processes: ChildProcess[] = [];
/** The mocks' manifest directories: a mock killed outright cannot remove its own. */
const mockDirectories: string[] = [];
afterEach(() => {
  panes.splice(0).forEach((pane) => pane.close());
  processes.splice(0).forEach((child) => child.kill('SIGKILL'));
  mockDirectories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true }));
});

/** A shell in a pane, so what is left after the program exits can be checked. */
function shell(name: string, width = 180, height = 40): Pane {
  const pane = Pane.open(name, `env -i PATH=${process.env.PATH} HOME=${tmpdir()} TERM=xterm-256color PS1='READY$ ' bash --norc --noprofile`, { width, height });
  panes.push(pane);
  return pane;
}

/**
 * Starts `mesh-split mock-prometheus` and resolves with its port once it says it is serving.
 * Port 0 at first (no race with other suites for a "free" port); the same port again after a kill.
 */
async function startMock(port = 0): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, 'mock-prometheus', '--scenario', 'helloworld', '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  processes.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const match = /URL:\s+http:\/\/127\.0\.0\.1:(\d+)[\s\S]*manifests:\s+(\S+)/.exec(output);
    if (match) {
      mockDirectories.push(dirname(match[2]!));
      return { child, port: Number(match[1]) };
    }
    if (child.exitCode !== null) throw new Error(`mock-prometheus exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mock-prometheus did not start: ${output}`);
}

describeWithTmux('the terminal UI in tmux, as an SRE uses it', () => {
  it('demo: header, a drift row and an inconclusive row; ↓, Enter, / and q do what they say', async () => {
    const pane = shell('ms-demo');
    await pane.waitFor((s) => s.includes('READY$'), 'the shell prompt');
    pane.type(`cd ${ROOT} && node ${CLI} demo\n`);
    let screen = await pane.waitFor((s) => s.includes('✗ drift') && s.includes('? inconclusive'), 'drift and inconclusive rows');
    expect(screen).toContain('DEMO — simulated metrics (scenario all)');
    expect(screen).toMatch(/updated \d\d:\d\d:\d\d · every 5s · window 5m/);
    expect(screen).toMatch(/› ✗ drift\s+bookinfo\/reviews/);

    pane.keys('Down', 'Down');
    screen = await pane.waitFor((s) => /› \? inconclusive\s+lab\/hello/.test(s), 'the selection to move to the next route');

    pane.keys('Enter');
    screen = await pane.waitFor((s) => s.includes('PromQL (requests)'), 'the details view');
    expect(screen).toContain('VirtualService lab/hello');
    expect(screen).toMatch(/more needed|needed to settle/);
    expect(screen).toContain('INTERVAL');
    pane.keys('Escape');
    await pane.waitFor((s) => s.includes('STATUS') && !s.includes('PromQL (requests)'), 'the table again');

    pane.type('/');
    pane.type('checkout');
    screen = await pane.waitFor((s) => s.includes('/checkout'), 'the filter prompt');
    pane.keys('Enter');
    screen = await pane.waitFor((s) => s.includes('payments/checkout') && !s.includes('bookinfo/reviews'), 'only the filtered route');

    pane.type('q');
    screen = await pane.waitFor((s) => s.trimEnd().endsWith('READY$'), 'the shell prompt after q');
    expect(pane.cursorVisible()).toBe(true);
  });

  it('watch survives its Prometheus being killed: stale banner, then recovery by itself', async () => {
    const directory = scratchDirectory('mesh-split-e2e-');
    const manifests = join(directory, 'helloworld.yaml');
    writeFileSync(manifests, new MockPrometheus(loadScenario('helloworld')).manifestsNow().text);
    let mock = await startMock();
    const port = mock.port;
    const pane = shell('ms-watch');
    await pane.waitFor((s) => s.includes('READY$'), 'the shell prompt');
    pane.type(`cd ${ROOT} && node ${CLI} watch -f ${manifests} --prometheus http://127.0.0.1:${port} --interval 1s\n`);
    await pane.waitFor((s) => s.includes('✓ pass') && s.includes('helloworld-vs-w-gateway'), 'a first good evaluation');

    mock.child.kill('SIGKILL');
    let screen = await pane.waitFor((s) => s.includes('STALE'), 'the stale banner');
    expect(screen).toMatch(/unreachable/);
    expect(screen).toMatch(/retrying in \d+s|retrying now/);
    // The last good data stays on screen.
    expect(screen).toContain('helloworld-vs-w-gateway');

    mock = await startMock(port);
    expect(mock.port).toBe(port);
    screen = await pane.waitFor((s) => !s.includes('STALE') && s.includes('✓ pass'), 'recovery', 30_000);
    pane.keys('C-c');
    await pane.waitFor((s) => s.trimEnd().endsWith('READY$'), 'the shell prompt after Ctrl-C');
    expect(pane.cursorVisible()).toBe(true);
  });

  it('after a controller changes the weights, the route says settling with a countdown', async () => {
    const pane = shell('ms-rollout');
    await pane.waitFor((s) => s.includes('READY$'), 'the shell prompt');
    // At 30× the first step (one scenario minute in) comes two seconds after the start.
    pane.type(`cd ${ROOT} && node ${CLI} demo --scenario canary-rollout --speed 30 --interval 1s\n`);
    // The row, not the legend (whose "✓ 0 pass" is always there).
    await pane.waitFor((s) => s.includes('payments/checkout') && /checkout\.payments\/v2\s+10\.0%/.test(s), 'the rollout at 90/10');
    const screen = await pane.waitFor((s) => /◷ settling (\d+m)?\d+s/.test(s), 'a settling row after the weight change');
    expect(screen).toMatch(/checkout\.payments\/v2\s+25\.0%/);
    pane.type('q');
    await pane.waitFor((s) => s.trimEnd().endsWith('READY$'), 'the shell prompt after q');
  });

  it('narrowing the terminal re-lays out the screen with nothing of the wider frame left above it', async () => {
    const pane = shell('ms-resize', 150, 40);
    await pane.waitFor((s) => s.includes('READY$'), 'the shell prompt');
    // A long interval: no refresh redraws the screen behind the resizes.
    pane.type(`cd ${ROOT} && node ${CLI} demo --no-color --interval 120s\n`);
    await pane.waitFor((s) => s.includes('✗ drift') && s.includes('TREND'), 'the wide table');
    // Narrower twice, wider, then taller only (where Ink keeps its unchanged frame: nothing may blank it).
    for (const [width, height] of [[90, 40], [60, 24], [120, 30], [120, 40]] as const) {
      pane.resize(width, height);
      // Let the redraw that follows SIGWINCH land before judging (a capture taken in between shows
      // the old frame as tmux re-flowed it, a state nothing has drawn yet).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // The frame starts at the top: no wrapped pieces of the old frame above it, nor the command line.
      const screen = await pane.waitFor(
        (s) => /^mesh-split {2}DEMO/.test(s) && s.match(/mesh-split {2}DEMO/g)?.length === 1 && s.match(/^ {2}STATUS /gm)?.length === 1,
        `one whole frame at the top after resizing to ${width}×${height}`,
        10_000,
      );
      expect(screen).toContain('✗ drift');
    }
    pane.type('q');
    await pane.waitFor((s) => s.trimEnd().endsWith('READY$'), 'the shell prompt after q');
  });

  it('a narrow terminal drops columns instead of wrapping', async () => {
    const pane = shell('ms-narrow', 72, 20);
    await pane.waitFor((s) => s.includes('READY$'), 'the shell prompt');
    pane.type(`cd ${ROOT} && node ${CLI} demo --no-color\n`);
    const screen = await pane.waitFor((s) => s.includes('✗ drift'), 'the table');
    for (const line of screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(72);
    expect(screen).not.toContain('TREND');
    expect(screen).toContain('DECL');
    pane.type('q');
    await pane.waitFor((s) => s.trimEnd().endsWith('READY$'), 'the shell prompt after q');
  });
});
