import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { scratchDirectory } from '../support/scratch.js';
import { parseManifests } from '../../src/manifests/load.js';
import { createConnection } from '../../src/prometheus/connection.js';
import { retryDelaySeconds, SLOW_REFRESH_MS, stopMessage, WatchLoop, type WatchSource } from '../../src/tui/loop.js';
import { TREND_POINTS } from '../../src/tui/model.js';
import { buildRows } from '../../src/tui/rows.js';
import { matrix, sendJson, useFakeServers, vector } from '../prometheus/fake-server.js';
import { finding } from '../../src/model/findings.js';
import { virtualService } from '../support/manifests.js';

const manifest = (v1: number, v2: number) =>
  parseManifests(
    virtualService('reviews', 'reviews', [
      { host: 'reviews-v1', weight: v1 },
      { host: 'reviews-v2', weight: v2 },
    ]),
    'vs.yaml',
  );
const sample = (service: string, version: string, value: number) => ({
  metric: { source_workload: 'sleep', destination_service: `${service}.default.svc.cluster.local`, destination_version: version },
  value: [0, String(value)] as [number, string],
});
const TRAFFIC = vector([sample('reviews-v1', 'v1', 900), sample('reviews-v2', 'v2', 100)]);

const serve = useFakeServers();

/** Timers under the test's control: nothing fires unless the test says so. */
function manualTimers() {
  const delays: number[] = [];
  let pending: (() => void) | null = null;
  return {
    delays,
    timing: {
      intervalSeconds: 5,
      setTimer: (callback: () => void, ms: number) => {
        delays.push(ms / 1000);
        pending = callback;
        return callback;
      },
      clearTimer: () => {
        pending = null;
      },
    },
    fire: () => {
      const callback = pending;
      pending = null;
      callback?.();
    },
  };
}

function source(url: string, manifests: () => ReturnType<typeof manifest>): WatchSource {
  return {
    manifests: async () => manifests(),
    connection: createConnection({ url, timeoutMs: 2000, retries: 0 }),
    options: {},
  };
}

describe('watch data loop', () => {
  it('never runs two evaluations at once; a refresh asked for meanwhile runs once after', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const server = await serve((req, res) => {
      if (req.url?.includes('query_range')) return sendJson(res, 200, matrix([]));
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        sendJson(res, 200, TRAFFIC);
      }, 150);
    });
    const timers = manualTimers();
    const loop = new WatchLoop(source(server.url, () => manifest(90, 10)), timers.timing);
    const first = loop.refresh();
    void loop.refresh();
    void loop.refresh();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(maxInFlight).toBe(1);
    expect(server.requests.filter((req) => req.url?.includes('/query')).length).toBe(2);
    expect(loop.state.report?.results[0]?.status).toBe('pass');
    loop.stop();
  });

  it('backs off while Prometheus fails, keeps the last good data marked with the error, and recovers', async () => {
    let failing = false;
    const server = await serve((_req, res) => (failing ? sendJson(res, 503, { status: 'error', errorType: 'unavailable', error: 'down' }) : sendJson(res, 200, TRAFFIC)));
    const timers = manualTimers();
    const loop = new WatchLoop(source(server.url, () => manifest(90, 10)), timers.timing);
    await loop.refresh();
    expect(loop.state.error).toBeNull();
    const good = loop.state.report;
    failing = true;
    for (let i = 0; i < 6; i++) await loop.refresh();
    expect(loop.state.report).toBe(good);
    expect(loop.state.error).toMatch(/503|unavailable|down/);
    expect(loop.state.nextRetryAt).not.toBeNull();
    const scheduled = () => timers.delays.filter((delay) => delay !== SLOW_REFRESH_MS / 1000);
    expect(scheduled()).toEqual([5, 5, 10, 20, 40, 60, 60]);
    failing = false;
    await loop.refresh();
    expect(loop.state.error).toBeNull();
    expect(scheduled().at(-1)).toBe(5);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelaySeconds(5, n))).toEqual([5, 10, 20, 40, 60, 60, 60]);
    loop.stop();
  });

  it('reads a --query-file again after it failed, so a mended file is taken up without a restart', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, TRAFFIC));
    const file = join(scratchDirectory('mesh-split-loop-'), 'q.promql');
    writeFileSync(file, 'sum by (source_workload (');
    const manifests = manifest(90, 10);
    const loop = new WatchLoop({ ...source(server.url, () => manifests), options: { queryFiles: { requests: file } } }, manualTimers().timing);
    await loop.refresh();
    expect(loop.state.error).toMatch(/not valid PromQL/);
    writeFileSync(file, readFileSync(join(packageRoot(), 'queries', 'requests.promql'), 'utf8'));
    await loop.refresh();
    expect(loop.state.error).toBeNull();
    expect(loop.state.report?.results.map((result) => result.status)).toEqual(['pass']);
    loop.stop();
  });

  it('says "settling" with a countdown for one window after the declared weights change', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, TRAFFIC));
    let weights: [number, number] = [90, 10];
    let now = 1_800_000_000_000;
    const timers = manualTimers();
    const loop = new WatchLoop(source(server.url, () => manifest(...weights)), { ...timers.timing, now: () => now });
    await loop.refresh();
    expect(buildRows(loop.state, now / 1000)[0]?.status).toBe('pass');
    weights = [50, 50];
    now += 5000;
    await loop.refresh();
    const rows = buildRows(loop.state, now / 1000);
    expect(rows[0]).toMatchObject({ status: 'settling', settlingSeconds: 300 });
    // The data itself says drift (90/10 observed against 50/50): settling hides it for now.
    expect(loop.state.report?.results[0]?.status).toBe('drift');
    expect(buildRows(loop.state, now / 1000 + 120)[0]?.settlingSeconds).toBe(180);
    expect(buildRows(loop.state, now / 1000 + 301)[0]?.status).toBe('drift');
    loop.stop();
  });

  it('redraws once per quick refresh; "refreshing…" shows only while a refresh is slow', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, TRAFFIC));
    let weights: [number, number] = [90, 10];
    const timers = manualTimers();
    const loop = new WatchLoop(source(server.url, () => manifest(...weights)), timers.timing);
    await loop.refresh();
    const updates: boolean[] = [];
    loop.subscribe((data) => updates.push(data.evaluating));
    await loop.refresh();
    await loop.refresh();
    // Each update redraws the screen: neither a quick refresh nor an unchanged "settling" map
    // is a reason for a second one.
    expect(updates).toEqual([false, false]);
    // A weight change: "settling" arrives in the same update as the report with the new
    // weights, never beside the old report's (a screen that never was).
    weights = [50, 50];
    updates.length = 0;
    const published: { settling: number; declared: number[] }[] = [];
    const unsubscribe = loop.subscribe((data) =>
      published.push({ settling: data.settlingUntil.size, declared: data.report!.results[0]!.destinations.map((destination) => destination.declaredPercent) }),
    );
    await loop.refresh();
    unsubscribe();
    expect(updates).toEqual([false]);
    expect(published).toEqual([{ settling: 1, declared: [50, 50] }]);
    expect(loop.state.settlingUntil.size).toBe(1);
    // Slow: the timer set when the refresh began fires before the answer arrives.
    updates.length = 0;
    const refreshing = loop.refresh();
    expect(timers.delays.at(-1)).toBe(SLOW_REFRESH_MS / 1000);
    timers.fire();
    await refreshing;
    expect(updates).toEqual([true, false]);
    loop.stop();
  });

  it('names what stops the manifests: errors, and warnings with --fail-on warning', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, TRAFFIC));
    // A malformed annotation is a warning (MS112): only --fail-on warning stops on it.
    const warned = parseManifests(
      virtualService('reviews', 'reviews', [{ host: 'reviews-v1', weight: 90 }, { host: 'reviews-v2', weight: 10 }], { annotations: { 'mesh-split.io/tolerance': 'lots' } }),
      'vs.yaml',
    );
    const failing = new WatchLoop({ ...source(server.url, () => warned), options: { failOn: 'warning' } }, manualTimers().timing);
    await failing.refresh();
    expect(failing.state.report).toBeNull();
    expect(failing.state.error).toMatch(/^manifests have 1 warning \(--fail-on warning\): \[MS112\] \(VirtualService default\/reviews vs\.yaml:\d+\) .*tolerance/);
    failing.stop();
    const passing = new WatchLoop(source(server.url, () => warned), manualTimers().timing);
    await passing.refresh();
    expect(passing.state.error).toBeNull();
    passing.stop();
    // An error comes first, and both are counted; manifest text stays on one safe line.
    const findings = [
      finding('MS112', { object: 'VirtualService default/a', file: 'a.yaml', line: 3 }, 'a warning'),
      finding('MS103', { object: 'VirtualService default/b\u001b[8m', file: 'b.yaml', line: 9 }, 'every weight is zero'),
      finding('MS101', { object: 'VirtualService default/c', file: 'b.yaml', line: 4 }, 'no subset'),
    ];
    expect(stopMessage(findings, 'error')).toBe('manifests have 2 errors: [MS101] (VirtualService default/c b.yaml:4) no subset');
    expect(stopMessage(findings.slice(0, 2), 'warning')).toBe('manifests have 1 error and 1 warning (--fail-on warning): [MS103] (VirtualService default/b\ufffd[8m b.yaml:9) every weight is zero');
  });

  it('keeps trends only for rows of the current report', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, TRAFFIC));
    let manifests = manifest(90, 10);
    const loop = new WatchLoop(source(server.url, () => manifests), manualTimers().timing);
    await loop.refresh();
    await loop.refresh();
    expect([...loop.state.trends.values()].map((trend) => trend.length)).toEqual([2, 2]);
    // reviews-v2 leaves the route (a finished rollout): its row, and its trend, go.
    manifests = parseManifests(virtualService('reviews', 'reviews', [{ host: 'reviews-v1', weight: 100 }]), 'vs.yaml');
    await loop.refresh();
    expect(loop.state.trends.size).toBe(1);
    expect([...loop.state.trends.values()][0]).toHaveLength(3);
    loop.stop();
  });

  it('seeds the trend from one range query per template', async () => {
    const points = (values: number[]) => values.map((value, i) => [1_800_000_000 + i * 30, String(value)] as [number, string]);
    const server = await serve((req, res) =>
      req.url?.includes('query_range')
        ? sendJson(res, 200, matrix([
            { metric: sample('reviews-v1', 'v1', 0).metric, values: points([90, 80, 70]) },
            { metric: sample('reviews-v2', 'v2', 0).metric, values: points([10, 20, 30]) },
          ]))
        : sendJson(res, 200, TRAFFIC),
    );
    const loop = new WatchLoop(source(server.url, () => manifest(90, 10)), manualTimers().timing);
    await loop.start();
    const rows = buildRows(loop.state, Date.now() / 1000);
    expect(rows.map((row) => row.trend)).toEqual([[90, 80, 70, 90], [10, 20, 30, 10]]);
    const ranges = server.requests.filter((req) => req.url?.includes('query_range'));
    expect(ranges).toHaveLength(1);
    // Only the points the TREND column can show: 12 steps of max(interval, 30 s).
    const asked = new URL(ranges[0]!.url!, server.url).searchParams;
    expect((Number(asked.get('end')) - Number(asked.get('start'))) / Number(asked.get('step')) + 1).toBeCloseTo(TREND_POINTS, 6);
    loop.stop();
  });

  it('keeps the point of a refresh that ran while the trend was being seeded, after the seed\'s', async () => {
    const points = (values: number[]) => values.map((value, i) => [1_800_000_000 + i * 30, String(value)] as [number, string]);
    let loop: WatchLoop | null = null;
    const server = await serve((req, res) => {
      if (!req.url?.includes('query_range')) return sendJson(res, 200, TRAFFIC);
      // The user presses r while the seed waits for its answer, and that refresh ends first.
      void loop!.refresh().then(() =>
        sendJson(res, 200, matrix([
          { metric: sample('reviews-v1', 'v1', 0).metric, values: points([80, 70]) },
          { metric: sample('reviews-v2', 'v2', 0).metric, values: points([20, 30]) },
        ])),
      );
    });
    loop = new WatchLoop(source(server.url, () => manifest(90, 10)), manualTimers().timing);
    await loop.start();
    const trends = buildRows(loop.state, Date.now() / 1000).map((row) => row.trend);
    // The seed's two points, then the early refresh's, then start()'s own first refresh.
    expect(trends).toEqual([[80, 70, 90, 90], [20, 30, 10, 10]]);
    loop.stop();
  });
});
