import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { oneLine } from '../prometheus/redact.js';
import { ManifestInputError } from './errors.js';
import { LIMITS } from './limits.js';

/** How long one kubectl run may take: a cluster that does not answer must not hang a CI job. */
export const KUBECTL_DEADLINE_MS = 120_000;
/** Between SIGTERM and SIGKILL when a run is stopped: time for credential plugins to tidy up. */
const STOP_GRACE_MS = 2000;
/** kubectl's message is its last stderr line (or a few): the tail is all that is kept. */
const STDERR_KEPT_BYTES = 64 * 1024;
/** A message that still fits one line of a terminal or a CI log (Forbidden errors run to ~250). */
const MESSAGE_CHARACTERS = 300;

/** kubectl exited unsuccessfully; `stderr` lets a caller tell a refusal it can work around. */
export class KubectlFailed extends ManifestInputError {
  constructor(
    readonly exitCode: number | string,
    readonly stderr: string,
  ) {
    super(`kubectl failed: ${kubectlMessage(stderr) || `exit code ${exitCode}`}`);
  }
}

/** klog's header (`W1206 12:00:00.000000 1 gcp.go:120] …`): log noise, not kubectl's verdict. */
const KLOG = /^([IWEF])\d{4} [\d:.]+\s+\d+ [^\]]*\] ?/;
const KLOG_START = /^[IWEF]\d{4} /;

/**
 * The line of kubectl's stderr that says what went wrong, redacted and cut to one line.
 * kubectl prints its summary last (`The connection to the server … was refused`, `Error from
 * server (Forbidden): …`), after klog lines and `Warning:` lines from the API server or
 * credential plugins; those are skipped. With nothing else, the last klog error says most.
 */
export function kubectlMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const plain = lines.filter((line) => !KLOG_START.test(line) && !/^Warning:/i.test(line));
  const klogErrors = lines.filter((line) => /^[EF]\d{4} /.test(line));
  const chosen = plain.at(-1) ?? klogErrors.at(-1) ?? lines.at(-1) ?? '';
  return oneLine(chosen.replace(KLOG, ''), [], MESSAGE_CHARACTERS);
}

/** Process groups of kubectl runs not yet over (the leader's pid), stopped with this process. */
const running = new Set<number>();
let stoppedAtExit = false;

/**
 * Every kubectl run still going, with whatever it started (wrapper scripts, exec credential
 * plugins), killed at once: for a process about to end, which cannot wait out a grace period.
 */
export function killRunningKubectl(): void {
  for (const group of running) signalGroup(group, 'SIGKILL');
  running.clear();
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: the whole group has ended already.
  }
}

function groupEnded(group: number): boolean {
  try {
    process.kill(-group, 0);
    return false;
  } catch {
    return true;
  }
}

/** SIGTERM to the whole group, SIGKILL to whatever is left of it after a grace period. */
function stopGroup(group: number): void {
  signalGroup(group, 'SIGTERM');
  // Unref'd: a process that ends sooner kills the group at exit instead.
  setTimeout(() => {
    if (!running.delete(group)) return;
    signalGroup(group, 'SIGKILL');
  }, STOP_GRACE_MS).unref();
}

/**
 * Runs kubectl and resolves with its stdout. It runs in a process group of its own, so that a
 * deadline, a refused size or the end of this process stops everything it started, not only
 * kubectl itself (a wrapper script's children, an exec credential plugin) — and so that
 * the terminal's Ctrl-C reaches mesh-split alone, which then stops the group (see the CLI).
 * Failures are ManifestInputErrors (exit 65); KubectlFailed when kubectl itself said no.
 */
export function runKubectl(kubectl: string, args: readonly string[], deadlineMs = KUBECTL_DEADLINE_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, args, { detached: true, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const group = child.pid;
    let outcome: Error | null = null;
    const fail = (error: Error, stop: boolean) => {
      if (outcome) return;
      outcome = error;
      clearTimeout(deadline);
      if (stop && group !== undefined) stopGroup(group);
      reject(error);
    };
    const deadline = setTimeout(() => fail(new ManifestInputError(`kubectl did not finish within ${deadlineMs / 1000} s`), true), deadlineMs);
    if (group !== undefined) {
      running.add(group);
      if (!stoppedAtExit) {
        stoppedAtExit = true;
        process.on('exit', killRunningKubectl);
      }
    }

    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outcome) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > LIMITS.sourceBytes) {
        stdout.length = 0;
        fail(new ManifestInputError(`kubectl printed more than ${LIMITS.sourceBytes} bytes; narrow it with -n`), true);
        return;
      }
      stdout.push(chunk);
    });
    let stderr = Buffer.alloc(0);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_KEPT_BYTES) stderr = stderr.subarray(stderr.length - STDERR_KEPT_BYTES);
    });

    child.on('error', (error: NodeJS.ErrnoException) => fail(startFailure(kubectl, error), true));
    child.on('close', (code, signal) => {
      // A group stopped for a deadline keeps its SIGKILL timer, unless nothing of it is left.
      if (group !== undefined && (!outcome || groupEnded(group))) running.delete(group);
      if (outcome) return;
      clearTimeout(deadline);
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else fail(new KubectlFailed(code ?? signal ?? 'unknown', stderr.toString('utf8')), false);
    });
  });
}

/** Why kubectl could not be started at all, said so that the user knows what to fix. */
function startFailure(kubectl: string, error: NodeJS.ErrnoException): ManifestInputError {
  const file = onPath(kubectl);
  if (error.code === 'EACCES') {
    return new ManifestInputError(`kubectl cannot be run (permission denied${file ? `: ${file}` : ''}); make it executable, or read files with -f`);
  }
  if (error.code === 'ENOENT') {
    // The file is there but execve said ENOENT: its #! interpreter (or loader) is missing.
    if (file) return new ManifestInputError(`kubectl could not be started (${file}: its interpreter or loader was not found)`);
    return new ManifestInputError('kubectl not found on PATH; install it, or read files with -f');
  }
  return new ManifestInputError(`kubectl could not be started (${error.code ?? error.message})`);
}

/** The file that `spawn` tried for `command`: itself when it has a slash, else the first on PATH. */
function onPath(command: string): string | null {
  const candidates = command.includes('/') ? [command] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  return candidates.find(isFile) ?? null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}
