import { readFileSync } from 'node:fs';

/** The pids a fake kubectl recorded (`echo "$$ $!" >> file`: itself and its child), in order. */
export function recordedPids(text: string): number[] {
  return text.split(/\s+/).filter(Boolean).map(Number);
}

/** Whether a process has ended: no such process, or a zombie waiting for its parent to reap it. */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}
