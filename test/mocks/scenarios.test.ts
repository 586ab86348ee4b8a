import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { parseManifests } from '../../src/manifests/load.js';
import type { CheckReport } from '../../src/model/check.js';
import { loadScenario, scenarioNames, ScenarioError } from '../../mocks/scenario/load.js';
import { MockPrometheus, serverUrl } from '../../mocks/server.js';
import { runCli } from '../support/cli.js';
import { scratchDirectory } from '../support/scratch.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Api = any;

const SCENARIOS = ['all', 'canary-drift', 'canary-rollout', 'gateway-and-mesh', 'helloworld', 'low-traffic', 'outage'];

/** Evaluates a scenario as `check --demo` does, at a fixed wall-clock start. */
async function evaluateScenario(name: string, at = 1_800_000_000, offset = 0): Promise<CheckReport> {
  const mock = new MockPrometheus(loadScenario(name), { wallStart: at - offset, wallClock: () => at });
  const server = await mock.listen(0);
  try {
    return await evaluate({
      manifests: parseManifests(mock.manifestsNow().text, `scenario:${name}`),
      prometheus: { url: serverUrl(server), timeoutMs: 10_000 },
      at: new Date(at * 1000),
    });
  } finally {
    server.close();
  }
}

const statuses = (report: CheckReport) =>
  Object.fromEntries(report.results.map((result) => [`${result.virtualService.namespace}/${result.virtualService.name} ${result.binding}`, result.status]));

describe('scenarios', () => {
  it('ships the documented scenarios, each valid', () => {
    expect(scenarioNames()).toEqual(SCENARIOS);
    for (const name of SCENARIOS) {
      const scenario = loadScenario(name);
      expect(scenario.flows.length).toBeGreaterThan(0);
      expect(new Set(scenario.flows.map((flow) => flow.id)).size).toBe(scenario.flows.length);
      expect(parseManifests(new MockPrometheus(scenario).manifestsNow().text, name).findings.filter((f) => f.level === 'error')).toEqual([]);
    }
    expect(() => loadScenario('nope')).toThrow(ScenarioError);
  });

  it('each scenario gives the verdicts it describes', async () => {
    expect(statuses(await evaluateScenario('helloworld'))).toEqual({
      'default/helloworld-vs mesh': 'pass',
      'default/helloworld-vs-w-dr mesh': 'pass',
      'default/helloworld-vs-w-gateway default/helloworld-gateway': 'pass',
    });
    expect(statuses(await evaluateScenario('gateway-and-mesh'))).toEqual({ 'shop/web mesh': 'pass', 'shop/web-public shop/web-gateway': 'pass' });
    expect(statuses(await evaluateScenario('canary-drift'))).toEqual({ 'bookinfo/reviews mesh': 'drift' });
    expect(statuses(await evaluateScenario('canary-rollout'))).toEqual({ 'payments/checkout mesh': 'pass' });
    const low = await evaluateScenario('low-traffic');
    expect(statuses(low)).toEqual({ 'lab/hello mesh': 'inconclusive' });
    expect(low.results[0]!.requests).toBeGreaterThan(4);
    expect(low.results[0]!.requests).toBeLessThan(30);
    expect(statuses(await evaluateScenario('outage'))).toEqual({ 'edge/api mesh': 'pass', 'edge/postgres mesh': 'pass' });
    const all = await evaluateScenario('all');
    expect(all.results).toHaveLength(10);
    expect(all.status).toBe('drift');
    expect(all.queries.map((query) => query.template)).toEqual(['requests', 'tcp-connections']);
  });

  it('runs repeat exactly: the same start gives the same numbers', async () => {
    const a = await evaluateScenario('all');
    const b = await evaluateScenario('all');
    expect(a.results).toEqual(b.results);
  });

  it('a controller steps the rollout\'s weights; manifests and traffic follow', async () => {
    const wallStart = 1_800_000_000;
    const weights = (offset: number) => {
      const mock = new MockPrometheus(loadScenario('canary-rollout'), { wallStart: wallStart - offset, wallClock: () => wallStart });
      const split = parseManifests(mock.manifestsNow().text, 'x').objects.find((o) => o.kind === 'VirtualService')!;
      const spec = split.body.spec as { http: { route: { weight: number }[] }[] };
      return spec.http[0]!.route.map((route) => route.weight);
    };
    expect([weights(0), weights(90), weights(200), weights(330)]).toEqual([[90, 10], [75, 25], [50, 50], [0, 100]]);
    // Ten minutes after the last step, a full window holds only traffic under 0/100.
    const settled = await evaluateScenario('canary-rollout', wallStart, 15 * 60);
    expect(settled.results[0]!.status).toBe('pass');
    expect(Math.round(settled.results[0]!.destinations[1]!.actualPercent!)).toBe(100);
  });
});

describe('the mock HTTP API', () => {
  it('answers GET and POST like Prometheus, with bad_data for what it cannot evaluate', async () => {
    const mock = new MockPrometheus(loadScenario('helloworld'));
    const server = await mock.listen(0);
    const url = serverUrl(server);
    try {
      const query = 'sum by (destination_version) (increase(istio_requests_total{reporter="source"}[5m]))';
      const get: Api = await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`)).json();
      const post: Api = await (await fetch(`${url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query }) })).json();
      expect(get).toMatchObject({ status: 'success', data: { resultType: 'vector' } });
      expect(get.data.result.map((r: { metric: Record<string, string> }) => r.metric.destination_version).sort()).toEqual(['v1', 'v2']);
      expect(post.data.result.length).toBe(2);
      const range: Api = await (await fetch(`${url}/api/v1/query_range?${new URLSearchParams({ query, start: String(Date.now() / 1000 - 600), end: String(Date.now() / 1000), step: '60' })}`)).json();
      expect(range).toMatchObject({ status: 'success', data: { resultType: 'matrix' } });
      expect(range.data.result[0].values.length).toBeGreaterThanOrEqual(10);
      const bad = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('histogram_quantile(0.9, x)')}`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
      expect(((await (await fetch(`${url}/api/v1/status/buildinfo`)).json()) as Api).status).toBe('success');
      expect((await fetch(`${url}/api/v1/nope`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('answers 503 during the outage scenario\'s outage, and recovers', async () => {
    const scenario = loadScenario('outage');
    const now = Date.now() / 1000;
    const during = new MockPrometheus(scenario, { wallStart: now - 60, wallClock: () => now });
    const after = new MockPrometheus(scenario, { wallStart: now - 120, wallClock: () => now });
    const params = new URLSearchParams({ query: 'istio_requests_total' });
    expect(during.handle('/api/v1/query', params)).toMatchObject({ status: 503, body: { status: 'error', errorType: 'unavailable' } });
    expect(after.handle('/api/v1/query', params)).toMatchObject({ status: 200 });
  });
});

describe('check --demo', () => {
  for (const [name, code] of [['canary-drift', 1], ['helloworld', 0], ['low-traffic', 2]] as const) {
    it(`${name} exits ${code}`, async () => {
      const result = await runCli(['check', '--demo', name, '-o', 'json']);
      expect(result.code).toBe(code);
      expect(JSON.parse(result.stdout).exitCode).toBe(code);
    });
  }
  it('defaults to the scenario "all" and refuses real manifests or Prometheus beside it', async () => {
    const result = await runCli(['check', '--demo']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('bookinfo/reviews');
    expect((await runCli(['check', '--demo', '-f', 'examples/helloworld'])).code).toBe(64);
    expect((await runCli(['check', '--demo', 'nope'])).code).toBe(64);
  });
  it('exits 64 at once on a bad option, with its own server never left running', async () => {
    const cases: [string[], RegExp][] = [
      [['--gateway-workload', 'garbage'], /--gateway-workload "garbage"/],
      [['--query-file', 'bogus=/nonexistent.promql'], /query-file/],
      [['--timeout', '1x'], /--timeout "1x" is not a duration/],
      // Past Node's timer limit a timeout fired at once (exit 69), an interval looped flat out.
      [['--timeout', '25d'], /--timeout "25d" is longer than 24d/],
      [['--timeout', `${'9'.repeat(400)}s`], /is not a duration/],
      [['--bearer-token-file', '/nonexistent', '--header', 'X-A: b'], /drop --bearer-token-file, --header$/],
      [['--ca-file', '/nonexistent'], /drop --ca-file$/],
    ];
    await Promise.all(
      cases.map(async ([args, reason]) => {
        // Before the fix the first two printed their error, then hung on the mock's open server.
        const result = await runCli(['check', '--demo', 'helloworld', ...args], { timeoutMs: 10_000 });
        expect(result.code, result.stderr).toBe(64);
        expect(result.stderr.split('\n')[0]).toMatch(reason);
      }),
    );
  });
  it('a confidence a hair below 1 still judges (it rounded to 1 per route: internal error, exit 70)', async () => {
    const result = await runCli(['check', '--demo', 'helloworld', '--confidence', '0.9999999999999999', '-o', 'json']);
    // Intervals as wide as a double allows: nothing settles at this traffic.
    expect(result.code, result.stderr).toBe(2);
    expect(JSON.parse(result.stdout).status).toBe('inconclusive');
  });
  it('honours --timeout', async () => {
    const result = await runCli(['check', '--demo', 'helloworld', '--timeout', '20s', '-o', 'json']);
    expect(result.code).toBe(0);
  });
  it('an empty MESH_SPLIT_DEMO is unset: check asks for a Prometheus', async () => {
    const result = await runCli(['check'], { env: { MESH_SPLIT_DEMO: '' } });
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/^mesh-split: no Prometheus/);
  });
});

describe('mock-prometheus --export-openmetrics', () => {
  it('writes what promtool accepts', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const directory = scratchDirectory('mesh-split-export-');
    const file = join(directory, 'demo.om');
    const result = await runCli(['mock-prometheus', '--scenario', 'outage', '--export-openmetrics', file]);
    expect(result.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# TYPE istio_requests counter$/m);
    expect(text.trimEnd().endsWith('# EOF')).toBe(true);
    const promtool = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, join(directory, 'data')], { encoding: 'utf8' });
    if (promtool.error) {
      // Without promtool the format checks above still ran; CI has it.
      expect(process.env.MESH_SPLIT_REQUIRE_PROMETHEUS).not.toBe('1');
      return;
    }
    expect(promtool.status, promtool.stderr).toBe(0);
  });
});

describe('mock-prometheus usage errors: exit 64 with one line, never an internal error', () => {
  it('a port in use, an address that is not one, an unwritable or empty export file, an empty host', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const cases: [string[], RegExp][] = [
        [['--port', String(port)], /^mesh-split: cannot listen on 127\.0\.0\.1 port \d+ \(EADDRINUSE\)/],
        [['--host', '127.0.0.1:5', '--port', '0'], /^mesh-split: cannot listen on 127\.0\.0\.1:5 port 0 \(/],
        [['--export-openmetrics', '/nonexistent/dir/demo.om'], /^mesh-split: --export-openmetrics \/nonexistent\/dir\/demo\.om cannot be written \(ENOENT\)/],
        [['--export-openmetrics', ''], /^mesh-split: --export-openmetrics needs a file name/],
        [['--host', ''], /^mesh-split: --host needs an address/],
        // Given without a value, these silently took their defaults.
        [['--port'], /^mesh-split: Not enough arguments following: port/],
        [['--scenario'], /^mesh-split: Not enough arguments following: scenario/],
      ];
      for (const [args, message] of cases) {
        const result = await runCli(['mock-prometheus', ...args], { timeoutMs: 10_000 });
        expect(result.code, result.stderr).toBe(64);
        expect(result.stderr.split('\n')[0]).toMatch(message);
      }
    } finally {
      taken.close();
    }
    const demo = await runCli(['demo', '--interval'], { timeoutMs: 10_000 });
    expect(demo.code).toBe(64);
    expect(demo.stderr.split('\n')[0]).toBe('mesh-split: Not enough arguments following: interval');
  });
});
