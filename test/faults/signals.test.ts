/**
 * Signals end `check --wait` and `watch` promptly, whatever they are doing (sleeping between
 * evaluations, or waiting on a Prometheus that does not answer, with --timeout 30s).
 *
 * Exit status, decided here:
 * - SIGINT / SIGTERM to `check --wait` or to a `watch` without a TTY: the process ends *by that
 *   signal* (wait status "signalled"; shells and CI runners show 130 / 143). Nothing is printed
 *   to stdout (no half report a pipeline could mistake for a verdict), no stack trace. Dying of
 *   the signal, rather than exiting with a code, is what lets a shell script that runs
 *   mesh-split stop on Ctrl-C too.
 * - Ctrl-C in the terminal UI is a key (the terminal is in raw mode), like `q`: the UI quits,
 *   the terminal is restored (prompt back, cursor visible) and the status is 0. SIGTERM to the
 *   UI restores the terminal too, and then ends by the signal (143).
 * - A reader that goes away (`mesh-split … | head -1`, SIGPIPE's territory, which Node ignores):
 *   no EPIPE stack trace; `check` keeps the exit code of its verdict, `watch` ends with 0.
 * - With --kube, however mesh-split ends (a signal, `q`), no kubectl it started is left running,
 *   nor anything that kubectl started (kubectl runs in a process group of its own).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithTmux, Pane } from '../e2e/tmux.js';
import { matrix, sendJson, startFakeServer, vector, type FakeServer, EXAMPLE_TRAFFIC } from '../prometheus/fake-server.js';
import { CLI, ROOT } from '../support/cli.js';
import { processGone, recordedPids } from '../support/processes.js';
import { scratchDirectory } from '../support/scratch.js';

const EXAMPLE = 'examples/helloworld';
const PROMPTLY_MS = 2000;
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

const TRAFFIC = EXAMPLE_TRAFFIC;

type Mode = 'no-traffic' | 'traffic' | 'hang';

/** A fake Prometheus whose behaviour the test switches: no traffic, all passing, or silence. */
/** Registers cleanup for the running test only (the suites run their tests concurrently). */
type Finally = (fn: () => void | Promise<void>) => void;

async function prometheus(initial: Mode, onFinished: Finally): Promise<FakeServer & { state: { mode: Mode } }> {
  const state = { mode: initial };
  const server = await startFakeServer((req, res) => {
    if (state.mode === 'hang') return;
    if (req.path.endsWith('/query_range')) return sendJson(res, 200, matrix([]));
    sendJson(res, 200, state.mode === 'traffic' ? TRAFFIC : vector([]));
  });
  onFinished(() => server.close());
  return Object.assign(server, { state });
}

/** The environment without MESH_SPLIT_* (yargs reads those as options), colour or Prometheus settings. */
function cleanEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('MESH_SPLIT_') || key === 'FORCE_COLOR' || key === 'NO_COLOR' || key === 'PROMETHEUS_URL') delete env[key];
  return env;
}

/** The built CLI with pipes (no TTY). */
function start(args: string[], onFinished: Finally, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const handle = {
    out,
    async until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!test()) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`timed out waiting for ${what}\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    /** Sends `signal`; resolves with how the process ended and how long it took (bounded). */
    async interrupt(signal: NodeJS.Signals) {
      const sent = Date.now();
      child.kill(signal);
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000));
      const exit = await Promise.race([exited, timeout]);
      if (!exit) throw new Error(`still running 10 s after ${signal}\nstderr:\n${out.stderr}`);
      return { ...exit, ms: exit.at - sent };
    },
    kill(signal: NodeJS.Signals): void {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
  onFinished(() => handle.kill('SIGKILL'));
  return handle;
}

/** Ended promptly, by the signal (or, equivalently for a shell, with 128 + its number). */
function expectEndedBy(exit: { code: number | null; signal: NodeJS.Signals | null; ms: number }, signal: keyof typeof SIGNAL_CODES, stderr: string): void {
  expect(exit.ms, `ended ${exit.ms} ms after ${signal}`).toBeLessThan(PROMPTLY_MS);
  expect(exit.signal === signal || exit.code === SIGNAL_CODES[signal], `ended with code ${exit.code}, signal ${exit.signal}`).toBe(true);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe.concurrent('check --wait 5m: SIGINT and SIGTERM end it promptly', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while it sleeps between evaluations (no traffic yet)`, async ({ onTestFinished }) => {
      const server = await prometheus('no-traffic', onTestFinished);
      const check = start(['check', '-f', EXAMPLE, '--prometheus', server.url, '--wait', '5m', '--timeout', '30s'], onTestFinished);
      await check.until(() => server.requests.length >= 1, 'the first evaluation');
      await new Promise((resolve) => setTimeout(resolve, 300)); // now in the 5 s sleep
      const exit = await check.interrupt(signal);
      expectEndedBy(exit, signal, check.out.stderr);
      expect(check.out.stdout).toBe('');
    });

    it(`${signal} while Prometheus does not answer (--timeout 30s)`, async ({ onTestFinished }) => {
      const server = await prometheus('hang', onTestFinished);
      const check = start(['check', '-f', EXAMPLE, '--prometheus', server.url, '--wait', '5m', '--timeout', '30s'], onTestFinished);
      await check.until(() => server.requests.length >= 1, 'a request in flight');
      const exit = await check.interrupt(signal);
      expectEndedBy(exit, signal, check.out.stderr);
      expect(check.out.stdout).toBe('');
    });
  }
});

describe.concurrent('watch without a TTY: SIGINT and SIGTERM end it promptly', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} between refreshes, after a report`, async ({ onTestFinished }) => {
      const server = await prometheus('traffic', onTestFinished);
      const watch = start(['watch', '-f', EXAMPLE, '--prometheus', server.url, '--interval', '1s', '--timeout', '30s'], onTestFinished);
      await watch.until(() => /^PASS: 3 pass of 3 routes/m.test(watch.out.stdout), 'a first report');
      const exit = await watch.interrupt(signal);
      expectEndedBy(exit, signal, watch.out.stderr);
      expect(watch.out.stderr).toBe('');
    });

    it(`${signal} while a refresh waits on a Prometheus that stopped answering (--timeout 30s)`, async ({ onTestFinished }) => {
      const server = await prometheus('traffic', onTestFinished);
      const watch = start(['watch', '-f', EXAMPLE, '--prometheus', server.url, '--interval', '1s', '--timeout', '30s'], onTestFinished);
      await watch.until(() => /^PASS: 3 pass of 3 routes/m.test(watch.out.stdout), 'a first report');
      server.state.mode = 'hang';
      const before = server.requests.length;
      await watch.until(() => server.requests.length > before, 'the next refresh in flight', 5000);
      const exit = await watch.interrupt(signal);
      expectEndedBy(exit, signal, watch.out.stderr);
    });

    it(`${signal} during the first evaluation, before any report`, async ({ onTestFinished }) => {
      const server = await prometheus('hang', onTestFinished);
      const watch = start(['watch', '-f', EXAMPLE, '--prometheus', server.url, '--interval', '1s', '--timeout', '30s'], onTestFinished);
      await watch.until(() => server.requests.length >= 1, 'a request in flight');
      const exit = await watch.interrupt(signal);
      expectEndedBy(exit, signal, watch.out.stderr);
      expect(watch.out.stdout).toBe('');
    });
  }
});

/**
 * A kubectl first on PATH that never finishes and has a child, as a wrapper script or an exec
 * credential plugin would (bash waits for `sleep`; it does not exec it). Each run appends its
 * pid and its sleep's to the returned file.
 */
function hangingKubectl(directory: string): { path: string; pids: string } {
  const bin = join(directory, 'bin');
  mkdirSync(bin, { recursive: true });
  const pids = join(directory, 'kubectl.pids');
  writeFileSync(join(bin, 'kubectl'), `#!/bin/bash\nsleep 100000 &\necho "$$ $!" >> '${pids}'\nwait\n`, { mode: 0o755 });
  return { path: `${bin}${delimiter}${process.env.PATH ?? ''}`, pids };
}

/** The pids kubectl runs recorded, once `count` runs (each a shell and its sleep) have started. */
async function kubectlPids(file: string, count: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pids = existsSync(file) ? recordedPids(readFileSync(file, 'utf8')) : [];
    if (pids.length >= count * 2) return pids;
    if (Date.now() > deadline) throw new Error(`only ${pids.length / 2} of ${count} kubectl runs started`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every one of `pids` ends within a few seconds (polled, bounded). */
async function expectEnded(pids: number[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (pids.some((pid) => !processGone(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(pids.filter((pid) => !processGone(pid)), 'kubectl processes left running').toEqual([]);
}

describe.concurrent('--kube: a signal that ends mesh-split stops the kubectl it runs, and all that kubectl started', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`check --kube, ${signal} while kubectl runs`, async ({ onTestFinished }) => {
      const directory = scratchDirectory('mesh-split-signals-kube-');
      const kubectl = hangingKubectl(directory);
      const check = start(['check', '--kube', '-n', 'shop', '--prometheus', 'http://127.0.0.1:9', '--wait', '5m'], onTestFinished, { PATH: kubectl.path });
      const pids = await kubectlPids(kubectl.pids, 2);
      const exit = await check.interrupt(signal);
      expectEndedBy(exit, signal, check.out.stderr);
      expect(check.out.stdout).toBe('');
      await expectEnded(pids);
    });
  }

  it('watch --kube without a TTY, SIGTERM while kubectl runs', async ({ onTestFinished }) => {
    const directory = scratchDirectory('mesh-split-signals-kube-');
    const kubectl = hangingKubectl(directory);
    const watch = start(['watch', '--kube', '-A', '--prometheus', 'http://127.0.0.1:9', '--interval', '1s'], onTestFinished, { PATH: kubectl.path });
    const pids = await kubectlPids(kubectl.pids, 1);
    const exit = await watch.interrupt('SIGTERM');
    expectEndedBy(exit, 'SIGTERM', watch.out.stderr);
    await expectEnded(pids);
  });
});

describe.concurrent('a reader that goes away (| true)', () => {
  for (const [command, expected] of [['check', 2], ['watch', 0]] as const) {
    it(`${command}: no EPIPE stack trace, exit ${expected}`, async ({ onTestFinished }) => {
      const server = await prometheus('no-traffic', onTestFinished);
      const args = command === 'watch' ? '--interval 1s' : '';
      // `true` reads nothing and exits at once: the first write meets a closed pipe.
      const pipeline = `"${process.execPath}" "${CLI}" ${command} -f ${EXAMPLE} --prometheus ${server.url} ${args} | true; exit \${PIPESTATUS[0]}`;
      const child = spawn('bash', ['-c', pipeline], {
        cwd: ROOT,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      onTestFinished(() => void child.kill('SIGKILL'));
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      clearTimeout(timer);
      expect(code, `mesh-split ${command} exits ${expected}\n${stderr}`).toBe(expected);
      expect(stderr).not.toMatch(/EPIPE|^\s+at /m);
    });
  }
});

describeWithTmux('watch in a terminal: Ctrl-C and SIGTERM restore it promptly', () => {
  let dir: string;
  const panes: Pane[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mesh-split-signals-'));
  });
  afterAll(() => {
    panes.splice(0).forEach((pane) => pane.close());
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A shell in a pane; `watch` started through `sh -c 'echo $$ > pidfile; exec …'` so its pid is known. */
  async function watchInPane(name: string, url: string): Promise<{ pane: Pane; pid: () => number }> {
    const pane = Pane.open(name, `env -i PATH=${process.env.PATH} HOME=${tmpdir()} TERM=xterm-256color PS1='READY$ ' bash --norc --noprofile`, { width: 180, height: 30 });
    panes.push(pane);
    await pane.waitFor((s) => s.includes('READY$'), 'the shell prompt');
    const pidFile = join(dir, `${name}.pid`);
    pane.type(`cd ${ROOT} && sh -c 'echo $$ > ${pidFile}; exec node ${CLI} watch -f ${EXAMPLE} --prometheus ${url} --interval 1s --timeout 30s'; echo "rc=$?"\n`);
    await pane.waitFor((s) => s.includes('✓ pass') && s.includes('helloworld-vs-w-gateway'), 'a first good evaluation');
    return { pane, pid: () => Number(readFileSync(pidFile, 'utf8').trim()) };
  }

  const promptBack = (s: string) => /rc=\d+\s+READY\$\s*$/.test(s.trimEnd());

  it('Ctrl-C while a refresh waits on a silent Prometheus: prompt back within 2 s, cursor visible, status 0', async ({ onTestFinished }) => {
    const server = await prometheus('traffic', onTestFinished);
    const { pane } = await watchInPane('ms-sig-ctrlc', server.url);
    server.state.mode = 'hang';
    const before = server.requests.length;
    const deadline = Date.now() + 5000;
    while (server.requests.length <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(server.requests.length, 'a refresh in flight').toBeGreaterThan(before);
    const sent = Date.now();
    pane.keys('C-c');
    const screen = await pane.waitFor(promptBack, 'the shell prompt after Ctrl-C', 5000);
    expect(Date.now() - sent).toBeLessThan(PROMPTLY_MS + 300); // + tmux polling
    expect(screen).toContain('rc=0');
    expect(pane.cursorVisible()).toBe(true);
  });

  it('watch --kube: q while kubectl runs quits at once and leaves no kubectl running; so does SIGTERM', async () => {
    for (const ending of ['q', 'SIGTERM'] as const) {
      const kubectl = hangingKubectl(join(dir, `kube-${ending}`));
      const pane = Pane.open(`ms-sig-kube-${ending}`, `env -i PATH=${kubectl.path} HOME=${tmpdir()} TERM=xterm-256color PS1='READY$ ' bash --norc --noprofile`, { width: 180, height: 30 });
      panes.push(pane);
      await pane.waitFor((s) => s.includes('READY$'), 'the shell prompt');
      const pidFile = join(dir, `kube-${ending}.pid`);
      pane.type(`cd ${ROOT} && sh -c 'echo $$ > ${pidFile}; exec node ${CLI} watch --kube -n shop --prometheus http://127.0.0.1:9 --interval 1s'; echo "rc=$?"\n`);
      const pids = await kubectlPids(kubectl.pids, 2);
      await pane.waitFor((s) => s.includes('every 1s · window 5m'), 'the watch screen');
      const sent = Date.now();
      if (ending === 'q') pane.type('q');
      else process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      const screen = await pane.waitFor(promptBack, `the shell prompt after ${ending}`, 5000);
      expect(Date.now() - sent).toBeLessThan(PROMPTLY_MS + 300);
      expect(screen).toContain(ending === 'q' ? 'rc=0' : 'rc=143');
      expect(pane.cursorVisible()).toBe(true);
      await expectEnded(pids);
    }
  });

  it('SIGTERM: terminal restored, prompt back within 2 s, status 143', async ({ onTestFinished }) => {
    const server = await prometheus('traffic', onTestFinished);
    const { pane, pid } = await watchInPane('ms-sig-term', server.url);
    const sent = Date.now();
    process.kill(pid(), 'SIGTERM');
    const screen = await pane.waitFor(promptBack, 'the shell prompt after SIGTERM', 5000);
    expect(Date.now() - sent).toBeLessThan(PROMPTLY_MS + 300);
    expect(screen).toContain('rc=143');
    expect(pane.cursorVisible()).toBe(true);
  });
});
