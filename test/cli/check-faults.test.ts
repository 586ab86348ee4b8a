import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, EXAMPLE_TRAFFIC, sendJson, useFakeServers, vector } from '../prometheus/fake-server.js';
import { runCli, type CliResult } from '../support/cli.js';

const EXAMPLE = 'examples/helloworld';
const TOKEN = 'tok-3f9a1c-very-secret';
const PASSWORD = 'pa55-w0rd-secret';
const TENANT = 'tenant-secret-42';

let dir: string;
let tokenFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mesh-split-faults-'));
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serve = useFakeServers();

const check = (url: string, ...extra: string[]) => runCli(['check', '-f', EXAMPLE, '--prometheus', url, '--timeout', '2s', ...extra]);

function expectCleanFailure(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.code).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

function expectNoSecrets(result: CliResult): void {
  const base64 = Buffer.from(`admin:${PASSWORD}`).toString('base64');
  for (const secret of [TOKEN, PASSWORD, TENANT, base64, encodeURIComponent(base64)]) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe('check when Prometheus fails: exit 69 with one line', () => {
  it('connection refused', async () => {
    const port = await closedPort();
    expectCleanFailure(await check(`http://127.0.0.1:${port}`), 69, /unreachable/);
  });

  it('a server that never answers ends within --timeout', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const result = await check(server.url, '--timeout', '1s');
    expectCleanFailure(result, 69, /time|did not answer/i);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('500 always, and 503 that recovers after a retry', async () => {
    const failing = await serve((_req, res) => sendJson(res, 500, { status: 'error', errorType: 'internal', error: 'boom' }));
    expectCleanFailure(await check(failing.url), 69, /500|internal|boom/);
    const flaky = await serve((_req, res, index) =>
      index === 0 ? sendJson(res, 503, { status: 'error', errorType: 'unavailable', error: 'warming up' }) : sendJson(res, 200, vector([])),
    );
    const result = await check(flaky.url, '-o', 'json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).results.map((r: { status: string }) => r.status)).toEqual(['no-traffic', 'no-traffic', 'no-traffic']);
    expect(flaky.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('an HTML page and truncated JSON are not the Prometheus API', async () => {
    const html = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head><title>Sign in</title></head><body>login</body></html>');
    });
    expectCleanFailure(await check(html.url), 69, /not.*Prometheus|HTML/i);
    const truncated = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"success","data":{"resultType":"vector","result":[{"metric":');
    });
    expectCleanFailure(await check(truncated.url), 69, /not.*Prometheus|JSON/i);
  });

  it('a query error keeps Prometheus\' errorType; -o json prints an error object too', async () => {
    const server = await serve((_req, res) => sendJson(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error' }));
    const result = await check(server.url, '-o', 'json');
    expect(result.code).toBe(69);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'error', exitCode: 69, error: { kind: 'query-error', errorType: 'bad_data' } });
  });

  it('401 with a bearer token, a tenant header or basic auth: no secret appears in any output', async () => {
    const server = await serve((req, res) => sendJson(res, 401, { status: 'error', errorType: 'unauthorized', error: `bad credentials ${req.headers.authorization ?? ''} ${req.headers['x-scope-orgid'] ?? ''}` }));
    for (const output of ['text', 'json', 'junit', 'github', 'markdown']) {
      const withToken = await check(server.url, '--bearer-token-file', tokenFile, '--header', `X-Scope-OrgID: ${TENANT}`, '-o', output);
      expect(withToken.code).toBe(69);
      expectNoSecrets(withToken);
      const withPassword = await check(server.url.replace('http://', `http://admin:${PASSWORD}@`), '--header', `X-Scope-OrgID: ${TENANT}`, '-o', output);
      expect(withPassword.code).toBe(69);
      expectNoSecrets(withPassword);
    }
    expect(server.requests.some((req) => req.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('a redirect or a status line echoing the credentials leaks nothing', async () => {
    const echo = (req: { headers: Record<string, string | string[] | undefined> }) => `${req.headers['x-scope-orgid'] ?? ''}/${req.headers.authorization ?? ''}`;
    const redirect = await serve((req, res) => {
      res.writeHead(302, { location: `/login/${encodeURIComponent(echo(req))}` });
      res.end();
    });
    const statusLine = await serve((req, res) => {
      res.writeHead(499, `denied ${echo(req)}`);
      res.end();
    });
    for (const server of [redirect, statusLine]) {
      for (const output of ['text', 'json']) {
        const withToken = await check(server.url, '--bearer-token-file', tokenFile, '--header', `X-Scope-OrgID: ${TENANT}`, '-o', output);
        expect(withToken.code).toBe(69);
        expectNoSecrets(withToken);
        const withPassword = await check(server.url.replace('http://', `http://admin:${PASSWORD}@`), '-o', output);
        expect(withPassword.code).toBe(69);
        expectNoSecrets(withPassword);
      }
    }
  });
});

describe('check refuses values that are not counts', () => {
  it('NaN or +Inf in the answer → exit 69, not "no traffic"', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, vector([
        { metric: { source_workload: 'sleep', destination_service: 'helloworld-v1.default.svc.cluster.local', destination_version: 'v1' }, value: [0, 'NaN'] },
        { metric: { source_workload: 'sleep', destination_service: 'helloworld-v2.default.svc.cluster.local', destination_version: 'v2' }, value: [0, '+Inf'] },
      ])),
    );
    expectCleanFailure(await check(server.url), 69, /NaN/);
  });
});

describe('check refuses an answer whose series carry no version label', () => {
  const answer = vector([
    { metric: { source_workload: 'sleep', source_workload_namespace: 'default', destination_service: 'helloworld-v1.default.svc.cluster.local', destination_version: 'v1' }, value: [0, '80'] },
    { metric: { source_workload: 'sleep', source_workload_namespace: 'default', destination_service: 'helloworld-v2.default.svc.cluster.local', destination_version: 'v2' }, value: [0, '20'] },
  ]);

  // Every version read 0 % and "unknown" 100 %: drift on every route, from a typo.
  it('a --version-label no series carries → exit 69 naming the labels they do carry', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, answer));
    expectCleanFailure(await check(server.url, '--version-label', 'destination_versoin'), 69, /none of which carries the version label "destination_versoin" \(they carry destination_service, destination_version, source_workload, source_workload_namespace\).*--version-label/);
  });

  // A plain object's property (Object.prototype.constructor) is not a label: it was read as one.
  it('a --version-label named like an object property is not read from the prototype', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, answer));
    expectCleanFailure(await check(server.url, '--version-label', 'constructor'), 69, /version label "constructor"/);
  });
});

describe('check usage errors: exit 64', () => {
  const cases: [string, string[]][] = [
    ['missing --prometheus', []],
    ['bad --window', ['--prometheus', 'http://127.0.0.1:1', '--window', '5 minutes']],
    ['bad --tolerance', ['--prometheus', 'http://127.0.0.1:1', '--tolerance', '150']],
    ['bad --confidence', ['--prometheus', 'http://127.0.0.1:1', '--confidence', '1']],
    ['bad --at', ['--prometheus', 'http://127.0.0.1:1', '--at', 'yesterday']],
    // V8 reads any day up to 31: this was March 1st, silently.
    ['--at on a day that does not exist', ['--prometheus', 'http://127.0.0.1:1', '--at', '2021-02-29T12:00:00Z']],
    ['--at on a day that does not exist, lower case', ['--prometheus', 'http://127.0.0.1:1', '--at', '2021-02-29t12:00:00z']],
    ['--at at hour 24 (V8: the next day)', ['--prometheus', 'http://127.0.0.1:1', '--at', '2021-03-01T24:00:00Z']],
    ['bad --header', ['--prometheus', 'http://127.0.0.1:1', '--header', 'no-colon']],
    ['bad --gateway-workload', ['--prometheus', 'http://127.0.0.1:1', '--gateway-workload', 'gw=x']],
    ['bad URL', ['--prometheus', 'not a url']],
    ['--wait with --at', ['--prometheus', 'http://127.0.0.1:1', '--wait', '1m', '--at', '1700000000']],
    // Prometheus answers a future instant with nothing: it would read as "no traffic".
    ['--at in the future', ['--prometheus', 'http://127.0.0.1:1', '--at', '4102444800']],
    ['--at in milliseconds', ['--prometheus', 'http://127.0.0.1:1', '--at', '1700001800000']],
    // Prometheus refuses it as "duration out of range" (it was exit 69).
    ['--window beyond what Prometheus reads', ['--prometheus', 'http://127.0.0.1:1', '--window', '300y']],
    ['--version-label reserved by Prometheus', ['--prometheus', 'http://127.0.0.1:1', '--version-label', '__proto__']],
    ['bad -o', ['--prometheus', 'http://127.0.0.1:1', '-o', 'xml']],
  ];
  for (const [name, args] of cases) {
    it(name, async () => {
      const result = await runCli(['check', '-f', EXAMPLE, ...args], { env: { PROMETHEUS_URL: undefined } });
      expect(result.code).toBe(64);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(2);
    });
  }

  it('--at in milliseconds says so, with the seconds meant', async () => {
    const result = await runCli(['check', '-f', EXAMPLE, '--prometheus', 'http://127.0.0.1:1', '--at', '1700001800000']);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/"1700001800000" is in the future: it takes unix seconds, not milliseconds \(1700001800\)/);
  });

  it('a --query-file that is not PromQL is refused before anything is sent', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, vector([])));
    const file = join(dir, 'bad.promql');
    writeFileSync(file, 'sum by (source_workload (');
    const result = await check(server.url, '--query-file', file);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/not valid PromQL/);
    expect(server.requests).toHaveLength(0);
  });

  it('PROMETHEUS_URL works in place of --prometheus', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, vector([])));
    const result = await runCli(['check', '-f', EXAMPLE], { env: { PROMETHEUS_URL: server.url } });
    expect(result.code).toBe(2);
  });
});

describe('check gates', () => {
  it('--fail-on warning stops on the example\'s MS111 warning with exit 65, before querying', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, vector([])));
    const result = await check(server.url, '--fail-on', 'warning', '-o', 'json');
    expect(result.code).toBe(65);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'error', exitCode: 65, results: [], findings: [{ code: 'MS111' }] });
    expect(server.requests).toHaveLength(0);
  });

  it('--wait evaluates again until the routes are conclusive', async () => {
    const traffic = EXAMPLE_TRAFFIC;
    // No traffic on the first evaluation, the rollout's traffic from the second on.
    const server = await serve((_req, res, index) => sendJson(res, 200, index === 0 ? vector([]) : traffic));
    const result = await check(server.url, '--wait', '30s', '-o', 'json');
    expect(result.code).toBe(0);
    expect(server.requests.length).toBe(2);
    const unsettled = await serve((_req, res) => sendJson(res, 200, vector([])));
    const started = Date.now();
    const gaveUp = await check(unsettled.url, '--wait', '1s');
    expect(gaveUp.code).toBe(2);
    expect(unsettled.requests.length).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('watch: a -f path that does not exist at the start', () => {
  it('is told once with exit 65, as check tells it (the watch retried it forever on a stale screen)', async () => {
    const result = await runCli(['watch', '-f', 'no/such/manifests.yaml', '--prometheus', 'http://127.0.0.1:1'], { timeoutMs: 15_000 });
    expect(result.code).toBe(65);
    expect(result.stderr).toBe('mesh-split: the path "no/such/manifests.yaml" does not exist\n');
  });

  it('comes after the usage errors, as in check (no Prometheus: 64, not 65)', async () => {
    const result = await runCli(['watch', '-f', 'no/such/manifests.yaml'], { env: { PROMETHEUS_URL: undefined }, timeoutMs: 15_000 });
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/^mesh-split: no Prometheus/);
  });
});
