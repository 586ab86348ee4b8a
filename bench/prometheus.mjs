// A real Prometheus on 127.0.0.1 over backfilled OpenMetrics, for the benchmark. The same recipe
// as test/support/prometheus.ts (read its header for the promtool/Prometheus 2.42 gotchas), cut
// down to what a one-shot benchmark needs: no watchdog, but the child is killed and its temp dir
// removed on exit, SIGINT and SIGTERM.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(file, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}${stdout}`));
      else resolve(stdout + stderr);
    });
  });
}

/** Sum of NUM SAMPLES over the blocks promtool printed. */
function samplesIn(out) {
  let total = 0;
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 8 && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(cols[0])) total += Number(cols[4]);
  }
  return total;
}

/**
 * Backfills `inputPath` (OpenMetrics) into `dir`/data and starts Prometheus on a free loopback
 * port. Resolves with { url, pid, backfillSeconds, stop() }.
 */
export async function startPrometheus({ dir, inputPath, expectedSamples }) {
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const t0 = performance.now();
  const out = await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', inputPath, data], 300_000);
  const backfillSeconds = (performance.now() - t0) / 1000;
  const got = samplesIn(out);
  if (expectedSamples !== undefined && got !== expectedSamples) {
    throw new Error(`promtool ingested ${got} samples, expected ${expectedSamples}:\n${out}`);
  }
  rmSync(inputPath, { force: true });

  const port = await freePort();
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-20_000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', kill);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`prometheus exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await res.text();
      if (res.status === 200) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      kill();
      throw new Error(`prometheus not ready after 120 s:\n${log}`);
    }
    await sleep(100);
  }
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      kill();
    }
    process.off('exit', kill);
  };
  return { url, pid: child.pid, backfillSeconds, samples: got, stop, log: () => log };
}
