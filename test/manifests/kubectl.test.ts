import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifests/load.js';
import { kubectlMessage } from '../../src/manifests/kubectl.js';
import { scratchDirectory } from '../support/scratch.js';
import { processGone, recordedPids } from '../support/processes.js';

describe("kubectl's message", () => {
  it('is its last line: the summary after klog lines (what a real kubectl prints without a cluster)', () => {
    const stderr =
      'E1206 05:11:56.866064   23942 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"\n'.repeat(5) +
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n';
    expect(kubectlMessage(stderr)).toBe('The connection to the server localhost:8080 was refused - did you specify the right host or port?');
  });

  it('skips klog and Warning: lines wherever they are', () => {
    expect(kubectlMessage('W1206 12:00:00.000000 1 gcp.go:120] WARNING: the gcp auth plugin is deprecated\nerror: You must be logged in to the server (Unauthorized)\n')).toBe(
      'error: You must be logged in to the server (Unauthorized)',
    );
    expect(kubectlMessage('Error from server (Forbidden): services is forbidden\nWarning: v1 ComponentStatus is deprecated\n')).toBe('Error from server (Forbidden): services is forbidden');
    expect(kubectlMessage('\n\n  error: one  \n\n')).toBe('error: one');
  });

  it('with only klog lines, is the last error one without its header; with only warnings, the last line', () => {
    expect(kubectlMessage('I1206 12:00:00.000000 1 a.go:1] starting\nE1206 12:00:01.000000 1 b.go:2] dial tcp: refused\nI1206 12:00:02.000000 1 c.go:3] giving up\n')).toBe('dial tcp: refused');
    expect(kubectlMessage('Warning: one\nWarning: two\n')).toBe('Warning: two');
    expect(kubectlMessage('')).toBe('');
  });

  it('is cut to one line of at most 300 characters, and redacted', () => {
    const message = kubectlMessage(`error: ${'x'.repeat(1000)}\n`);
    expect(message.length).toBeLessThanOrEqual(300);
    expect(message.endsWith('…')).toBe(true);
    expect(kubectlMessage('error: exec plugin: Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln token=abc password=def https://u:p@h/\n')).toBe(
      'error: exec plugin: Authorization: Bearer *** token=*** password=*** https://***@h/',
    );
    expect(kubectlMessage('error: a\u0007b\u001b[31mc\n')).not.toMatch(/[\u0000-\u001f]/);
  });
});

/**
 * A kubectl that starts a child and never finishes, as a wrapper script or an exec credential
 * plugin would: it writes its pid and its child's to $pids, then waits. `ignoreTerm`: neither
 * it nor its child stops for SIGTERM (an ignored signal is inherited).
 */
function hangingKubectl(directory: string, pids: string, options: { ignoreTerm?: boolean; print?: string } = {}): string {
  const kubectl = join(directory, 'kubectl');
  writeFileSync(
    kubectl,
    `#!/bin/bash\n${options.ignoreTerm ? "trap '' TERM\n" : ''}${options.print ?? 'sleep 100000'} &\necho "$$ $!" >> '${pids}'\nwait\n`,
  );
  chmodSync(kubectl, 0o755);
  return kubectl;
}

async function expectAllGone(pids: number[], withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (pids.some((pid) => !processGone(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(pids.filter((pid) => !processGone(pid)), 'processes still running').toEqual([]);
}

describe('a kubectl that does not finish', () => {
  it('is stopped at the deadline with everything it started, even when it ignores SIGTERM (SIGKILL after a grace period)', async () => {
    const directory = scratchDirectory('mesh-split-kubectl-deadline-');
    const pids = join(directory, 'pids');
    const kubectl = hangingKubectl(directory, pids, { ignoreTerm: true });
    const started = Date.now();
    await expect(loadManifests({ kube: { kubectl, namespace: 'shop', timeoutMs: 500 } })).rejects.toThrow('kubectl did not finish within 0.5 s');
    expect(Date.now() - started).toBeLessThan(2000);
    const running = recordedPids(readFileSync(pids, 'utf8'));
    // Both calls (the routes, their context), each a shell and its sleep.
    expect(running).toHaveLength(4);
    await expectAllGone(running, 5000);
  });

  it('printing more than the input limit is refused ("narrow it with -n") and stopped with everything it started', async () => {
    const directory = scratchDirectory('mesh-split-kubectl-flood-');
    const pids = join(directory, 'pids');
    const kubectl = hangingKubectl(directory, pids, { print: 'cat /dev/zero' });
    await expect(loadManifests({ kube: { kubectl, allNamespaces: true } })).rejects.toThrow(/^kubectl printed more than 67108864 bytes; narrow it with -n$/);
    const running = recordedPids(readFileSync(pids, 'utf8'));
    expect(running).toHaveLength(2);
    await expectAllGone(running, 5000);
  });
});
