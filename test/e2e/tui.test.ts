import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadScenario } from '../../mocks/scenario/load.js';
import { MockPrometheus } from '../../mocks/server.js';
import { freePort } from '../support/prometheus.js';
import { CLI, ROOT } from '../support/cli.js';
import { describeWithTmux, Pane } from './tmux.js';

const panes: Pane[] = [];
const processes: ChildProcess[] = [];
afterEach(() => {
  panes.splice(0).forEach((pane) => pane.close());
  processes.splice(0).forEach((child) => child.kill('SIGKILL'));
});

/** A shell in a pane, so what is left after the program exits can be checked. */
function shell(name: string, width = 180, height = 40): Pane {
  const pane = Pane.open(name, `env -i PATH=${process.env.PATH} HOME=${tmpdir()} TERM=xterm-256color PS1='READY$ ' bash --norc --noprofile`, { width, height });
  panes.push(pane);
  return pane;
}

/** Starts `mesh-split mock-prometheus` and resolves once it says it is serving. */
async function startMock(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'mock-prometheus', '--scenario', 'helloworld', '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  processes.push(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('mock-prometheus did not start within 20 s')), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('URL:')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
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
    const port = await freePort();
    const directory = mkdtempSync(join(tmpdir(), 'mesh-split-e2e-'));
    const manifests = join(directory, 'helloworld.yaml');
    writeFileSync(manifests, new MockPrometheus(loadScenario('helloworld')).manifestsNow().text);
    let mock = await startMock(port);
    const pane = shell('ms-watch');
    await pane.waitFor((s) => s.includes('READY$'), 'the shell prompt');
    pane.type(`cd ${ROOT} && node ${CLI} watch -f ${manifests} --prometheus http://127.0.0.1:${port} --interval 1s\n`);
    await pane.waitFor((s) => s.includes('✓ pass') && s.includes('helloworld-vs-w-gateway'), 'a first good evaluation');

    mock.kill('SIGKILL');
    let screen = await pane.waitFor((s) => s.includes('STALE'), 'the stale banner');
    expect(screen).toMatch(/unreachable/);
    expect(screen).toMatch(/retrying in \d+s|retrying now/);
    // The last good data stays on screen.
    expect(screen).toContain('helloworld-vs-w-gateway');

    mock = await startMock(port);
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
    await pane.waitFor((s) => s.includes('✓ pass') && s.includes('payments/checkout'), 'the rollout at 90/10');
    const screen = await pane.waitFor((s) => /◷ settling (\d+m)?\d+s/.test(s), 'a settling row after the weight change');
    expect(screen).toMatch(/checkout\.payments\/v2\s+25\.0%/);
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
