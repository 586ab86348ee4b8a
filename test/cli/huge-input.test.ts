import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from '../support/cli.js';

describe('huge input', () => {
  it('100 MB on stdin is refused cleanly (MS002, exit 65) without reading it all into memory', async () => {
    const time = existsSync('/usr/bin/time');
    const command = time ? '/usr/bin/time' : process.execPath;
    const args = [...(time ? ['-f', 'peak-rss-kb=%M', process.execPath] : []), CLI, 'routes', '-f', '-', '-o', 'json'];
    const child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined);
    // A valid-looking YAML stream, 1 MiB at a time, until 100 MB or the reader stops reading.
    const block = Buffer.from('# padding\n'.repeat((1024 * 1024) / 10));
    const started = Date.now();
    const source = Readable.from(
      (function* () {
        for (let written = 0; written < 100 * 1000 * 1000; written += block.length) yield block;
      })(),
    );
    source.on('error', () => undefined);
    source.pipe(child.stdin);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(65);
    const report = JSON.parse(stdout) as { findings: { code: string; file: string }[] };
    expect(report.findings[0]).toMatchObject({ code: 'MS002', file: '<stdin>' });
    expect(Date.now() - started).toBeLessThan(60_000);
    const peak = /peak-rss-kb=(\d+)/.exec(stderr);
    // Reading stops at the 64 MiB limit: far below the 100 MB offered (plus Node itself).
    if (peak) expect(Number(peak[1]) / 1024).toBeLessThan(400);
  });

  it('-f naming a device or a pipe is read as stdin is, up to the limit (its size is 0: the size check let /dev/zero fill 600 MB)', async () => {
    const result = await runCli(['routes', '-f', '/dev/zero', '-o', 'json'], { timeoutMs: 60_000 });
    expect(result.code).toBe(65);
    expect((JSON.parse(result.stdout) as { findings: { code: string; file: string }[] }).findings[0]).toMatchObject({ code: 'MS002', file: '/dev/zero' });
  });

  it('a token, CA or query file of endless bytes is refused at its size limit, not read until memory runs out', async () => {
    for (const [option, limit] of [['--bearer-token-file', '64 KiB'], ['--ca-file', '4096 KiB']]) {
      const result = await runCli(['check', '-f', 'examples/helloworld', '--prometheus', 'https://127.0.0.1:1', option!, '/dev/zero'], { timeoutMs: 30_000 });
      expect(result.code, result.stderr).toBe(64);
      expect(result.stderr.split('\n')[0]).toBe(`mesh-split: ${option} /dev/zero is larger than ${limit}`);
    }
    const query = await runCli(['check', '-f', 'examples/helloworld', '--prometheus', 'http://127.0.0.1:1', '--query-file', '/dev/zero'], { timeoutMs: 30_000 });
    expect(query.code, query.stderr).toBe(64);
    expect(query.stderr.split('\n')[0]).toBe('mesh-split: query file "/dev/zero" is larger than 1024 KiB');
  });
});
