import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { parseManifests } from '../../src/manifests/load.js';
import type { CheckReport, CheckSettings } from '../../src/model/check.js';
import { runCli } from '../support/cli.js';
import { toOpenMetrics } from '../support/openmetrics.js';
import { describeWithPrometheus, instantQuery, startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { FLOWS, SCENARIOS } from './scenarios.js';
import { AT, END, series } from './traffic.js';
import { scratchDirectory } from '../support/scratch.js';

describeWithPrometheus('check against a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: toOpenMetrics({ counters: FLOWS.map(series) }) });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  const check = (text: string, settings: Partial<CheckSettings> = {}, at = new Date(AT * 1000)): Promise<CheckReport> =>
    evaluate({ manifests: parseManifests(text, 'scenario.yaml'), prometheus: { url: prometheus.url, timeoutMs: 10_000 }, settings, at });

  const statuses = (report: CheckReport) => report.results.map((result) => [result.virtualService.name, result.binding, result.status]);
  const actual = (report: CheckReport, index = 0) => report.results[index]!.destinations.map((d) => Math.round(d.actualPercent ?? -1));

  it('the seed: mesh 20/80 and gateway 70/30 live at once, both pass, each on its own traffic', async () => {
    const report = await check(SCENARIOS.helloworld);
    expect(statuses(report)).toEqual([
      ['helloworld-vs', 'mesh', 'pass'],
      ['helloworld-vs-w-gateway', 'default/helloworld-gateway', 'pass'],
    ]);
    expect(actual(report, 0)).toEqual([20, 80]);
    expect(actual(report, 1)).toEqual([70, 30]);
    expect(report.exitCode).toBe(0);
    // Counted once although both reporters exist: 10 requests/s over 5 minutes.
    expect(report.results[0]!.requests).toBeCloseTo(3000, -1);
    // A tool ignoring the source would see about 45/55.
    const blind = await instantQuery(
      prometheus.url,
      'sum by (destination_version) (increase(istio_requests_total{reporter="source", destination_service=~"helloworld-v.\\\\.default\\\\.svc\\\\.cluster\\\\.local"}[5m]))',
      AT,
    );
    const total = blind.reduce((sum, sample) => sum + sample.value, 0);
    const v1 = blind.find((sample) => sample.metric.destination_version === 'v1')!.value;
    expect(Math.round((100 * v1) / total)).toBe(45);
  });

  it('DestinationRule subsets at 70/30 pass', async () => {
    const report = await check(SCENARIOS.subsets);
    expect(statuses(report)).toEqual([['greeter', 'mesh', 'pass']]);
    expect(report.results[0]!.destinations.map((d) => [d.subset, d.version])).toEqual([['v1', 'v1'], ['v2', 'v2']]);
  });

  it('declared 20/80, observed 28/72 → drift, exit 1, on the weight lines', async () => {
    const report = await check(SCENARIOS.drift);
    expect(statuses(report)).toEqual([['reviews', 'mesh', 'drift']]);
    expect(actual(report)).toEqual([28, 72]);
    expect(report.exitCode).toBe(1);
    expect(report.results[0]!.destinations.every((d) => d.status === 'drift' && typeof d.line === 'number')).toBe(true);
  });

  it("the seed's 5 vs 8 at 50/50 → inconclusive, with requests still needed", async () => {
    const report = await check(SCENARIOS.lowTraffic);
    expect(statuses(report)).toEqual([['hello', 'mesh', 'inconclusive']]);
    expect(report.results[0]!.requests).toBeGreaterThan(10);
    expect(report.results[0]!.requests).toBeLessThan(16);
    expect(report.results[0]!.requestsNeeded).toBeGreaterThan(0);
    expect(report.exitCode).toBe(2);
    expect((await check(SCENARIOS.lowTraffic, { allowInconclusive: true })).exitCode).toBe(0);
  });

  it('no series at all → no-traffic, exit 2', async () => {
    const report = await check(SCENARIOS.noTraffic);
    expect(statuses(report)).toEqual([['quiet', 'mesh', 'no-traffic']]);
    expect(report.exitCode).toBe(2);
  });

  it('undeclared v3 traffic is a destination declared at 0 % and drifts', async () => {
    const report = await check(SCENARIOS.undeclared);
    expect(report.results[0]!.status).toBe('drift');
    const v3 = report.results[0]!.destinations.find((d) => d.version === 'v3');
    expect(v3).toMatchObject({ undeclared: true, declaredPercent: 0, status: 'drift', line: null });
    expect(Math.round(v3!.actualPercent!)).toBe(20);
  });

  it('callers without a sidecar are not counted by default, and are with --reporter destination', async () => {
    const bySource = await check(SCENARIOS.noSidecar);
    expect(bySource.results[0]!.status).toBe('pass');
    expect(actual(bySource)).toEqual([50, 50]);
    const byDestination = await check(SCENARIOS.noSidecar, { reporter: 'destination' });
    expect(byDestination.results[0]!.status).toBe('drift');
    expect(actual(byDestination)).toEqual([75, 25]);
    expect(byDestination.queries[0]!.promql).toContain('reporter="destination"');
  });

  it('--at evaluates at a past instant', async () => {
    expect((await check(SCENARIOS.history)).results[0]!.status).toBe('drift');
    const past = await check(SCENARIOS.history, {}, new Date((END - 25 * 60 + 7) * 1000));
    expect(past.results[0]!.status).toBe('pass');
    expect(actual(past)).toEqual([90, 10]);
    expect(past.evaluatedAt).toBe(new Date((END - 25 * 60 + 7) * 1000).toISOString());
  });

  it('TCP routes are judged on opened connections', async () => {
    const report = await check(SCENARIOS.tcp);
    expect(report.results[0]).toMatchObject({ status: 'pass', unit: 'connections' });
    expect(actual(report)).toEqual([80, 20]);
    expect(report.queries.map((query) => query.template)).toEqual(['tcp-connections']);
    expect(report.queries[0]!.promql).toContain('istio_tcp_connections_opened_total');
  });

  it('one HTTP request per template, however many VirtualServices', async () => {
    let requests = 0;
    const proxy: Server = createServer(async (request, response) => {
      requests += 1;
      const body = await new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => resolve(Buffer.concat(chunks)));
      });
      const upstream = await fetch(`${prometheus.url}${request.url}`, {
        method: request.method,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body: request.method === 'POST' ? body : undefined,
      });
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    try {
      const everything = Object.values(SCENARIOS).join('');
      const report = await evaluate({
        manifests: parseManifests(everything, 'all.yaml'),
        prometheus: { url: `http://127.0.0.1:${port}`, timeoutMs: 10_000 },
        at: new Date(AT * 1000),
      });
      expect(report.results.length).toBe(10);
      expect(requests).toBe(2);
      expect(report.results.map((result) => result.status).slice(0, 4)).toEqual(['drift', 'drift', 'drift', 'inconclusive']);
    } finally {
      proxy.close();
    }
  });

  it('the CLI gives the same exit code for every output format', async () => {
    const dir = scratchDirectory('mesh-split-check-');
    const cases: [keyof typeof SCENARIOS, number][] = [['subsets', 0], ['drift', 1], ['lowTraffic', 2]];
    for (const [name, code] of cases) {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, SCENARIOS[name]);
      for (const output of ['text', 'json', 'junit', 'github', 'markdown']) {
        const result = await runCli(['check', '-f', file, '--prometheus', prometheus.url, '--at', String(AT), '-o', output]);
        expect([name, output, result.code, result.stderr]).toEqual([name, output, code, '']);
      }
      const json = JSON.parse((await runCli(['check', '-f', file, '--prometheus', prometheus.url, '--at', String(AT), '-o', 'json'])).stdout);
      expect(json).toMatchObject({ schemaVersion: 1, exitCode: code, window: '5m' });
    }
  });
});
