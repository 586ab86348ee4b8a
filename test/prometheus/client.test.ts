import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildInfo, instantQuery, rangeQuery, REQUEST_POLICY } from '../../src/prometheus/client.js';
import { createConnection, type PrometheusConnectionOptions } from '../../src/prometheus/connection.js';
import { PrometheusError } from '../../src/prometheus/errors.js';
import { closedPort, matrix, sendJson, useFakeServers, vector, type Handler } from './fake-server.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mesh-split-prom-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const serve = useFakeServers();

function conn(url: string, extra: Partial<PrometheusConnectionOptions> = {}) {
  return createConnection({ url, timeoutMs: 5000, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<PrometheusError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PrometheusError);
    return error as PrometheusError;
  }
  throw new Error('expected the call to fail');
}

function expectOneLine(error: Error): void {
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.message.length).toBeLessThan(700);
}

describe('instantQuery / rangeQuery / buildInfo: success', () => {
  it('parses a vector, including NaN, +Inf and -Inf, and returns warnings', async () => {
    const server = await serve((_req, res) =>
      sendJson(
        res,
        200,
        vector(
          [
            { metric: { destination_version: 'v1', destination_service: 'helloworld.default.svc.cluster.local' }, value: [1700000000.123, '20'] },
            { metric: { destination_version: 'v2' }, value: [1700000000.123, '80.5'] },
            { metric: { destination_version: 'nan' }, value: [1700000000.123, 'NaN'] },
            { metric: { destination_version: 'pinf' }, value: [1700000000.123, '+Inf'] },
            { metric: { destination_version: 'ninf' }, value: [1700000000.123, '-Inf'] },
            { metric: { destination_version: 'exp' }, value: [1700000000.123, '1e-3'] },
          ],
          ['PromQL info: metric might not be a counter'],
        ),
      ),
    );
    const at = new Date(1_700_000_000_000);
    const result = await instantQuery(conn(server.url), 'sum by (destination_version) (istio_requests_total)', at);
    expect(result.series.map((s) => s.value)).toEqual([20, 80.5, NaN, Infinity, -Infinity, 0.001]);
    expect(result.series[0]?.labels).toEqual({ destination_version: 'v1', destination_service: 'helloworld.default.svc.cluster.local' });
    expect(result.warnings).toEqual(['PromQL info: metric might not be a counter']);

    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/api/v1/query');
    expect(req.query.get('query')).toBe('sum by (destination_version) (istio_requests_total)');
    expect(req.headers['user-agent']).toBe('mesh-split');
    expect(req.headers.accept).toBe('application/json');
    expect(Number(req.query.get('time'))).toBe(1_700_000_000);
  });

  it('reads an answer of megabytes exactly, all ASCII or not (UTF-8, after a byte-order mark)', async () => {
    // Several of the HTTP reader's chunks, so that a character split between two must survive.
    const series = (workload: string) =>
      Array.from({ length: 12_000 }, (_, i) => ({ metric: { destination_service: `svc-${i}.ns.svc.cluster.local`, source_workload: workload }, value: [1700000000, String(i / 4)] as [number, string] }));
    for (const workload of ['client', 'café-클라이언트-😀']) {
      const body = JSON.stringify(vector(series(workload)));
      expect(body.length).toBeGreaterThan(1_000_000);
      const server = await serve((_req, res) => sendJson(res, 200, workload === 'client' ? body : `\uFEFF${body}`));
      const result = await instantQuery(conn(server.url), 'q');
      expect(result.series).toHaveLength(12_000);
      expect(result.series[11_999]).toEqual({ labels: { destination_service: 'svc-11999.ns.svc.cluster.local', source_workload: workload }, value: 11_999 / 4 });
      expect(result.series.every((sample) => sample.labels.source_workload === workload)).toBe(true);
    }
  });

  it('turns a scalar into one unlabelled series', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { status: 'success', data: { resultType: 'scalar', result: [1700000000, '2'] } }));
    const result = await instantQuery(conn(server.url), '1+1');
    expect(result.series).toEqual([{ labels: {}, value: 2 }]);
    expect(result.warnings).toEqual([]);
  });

  it('parses a matrix with exact timestamps and special values', async () => {
    const server = await serve((_req, res) =>
      sendJson(
        res,
        200,
        matrix([
          {
            metric: { destination_version: 'v1' },
            values: [
              [1435781430.781, '1'],
              [1435781445.781, '+Inf'],
              [1435781460.781, 'NaN'],
            ],
          },
        ]),
      ),
    );
    const start = new Date(1435781430_781);
    const end = new Date(1435781460_781);
    const result = await rangeQuery(conn(server.url), 'up', start, end, 15);
    expect(result.series).toHaveLength(1);
    expect(result.series[0]!.labels).toEqual({ destination_version: 'v1' });
    expect(result.series[0]!.points).toEqual([
      { t: 1435781430.781, v: 1 },
      { t: 1435781445.781, v: Infinity },
      { t: 1435781460.781, v: NaN },
    ]);
    const req = server.requests[0]!;
    expect(req.path).toBe('/api/v1/query_range');
    expect(req.query.get('step')).toBe('15');
    expect(Number(req.query.get('start'))).toBeCloseTo(1435781430.781, 3);
    expect(Number(req.query.get('end'))).toBeCloseTo(1435781460.781, 3);
  });

  it('reads buildinfo', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, { status: 'success', data: { version: '2.53.0', revision: 'abc', branch: 'HEAD', goVersion: 'go1.22' } }),
    );
    await expect(buildInfo(conn(server.url))).resolves.toEqual({ version: '2.53.0', revision: 'abc', branch: 'HEAD', goVersion: 'go1.22' });
    expect(server.requests[0]!.path).toBe('/api/v1/status/buildinfo');
  });

  it('keeps a path prefix and forwards the URL query string without displaying it', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, vector([])));
    const c = conn(`${server.url}/prometheus/?access_token=qs-secret-123`);
    expect(c.displayUrl).toBe(`${server.url}/prometheus/`);
    await instantQuery(c, 'up');
    expect(server.requests[0]!.path).toBe('/prometheus/api/v1/query');
    expect(server.requests[0]!.query.get('access_token')).toBe('qs-secret-123');
    expect(server.requests[0]!.query.get('query')).toBe('up');
  });

  it('uses GET for a short query and a form-encoded POST for a long one', async () => {
    const server = await serve((req, res) => sendJson(res, 200, req.path.endsWith('query_range') ? matrix([]) : vector([])));
    const c = conn(server.url);
    await instantQuery(c, 'up');
    const hosts = Array.from({ length: 120 }, (_, i) => `svc-${i}.default.svc.cluster.local`).join('|');
    const long = `sum by (destination_service) (increase(istio_requests_total{reporter="source", destination_service=~"${hosts}"}[5m]))`;
    expect(long.length).toBeGreaterThan(REQUEST_POLICY.maxGetUrlLength);
    await instantQuery(c, long);
    await rangeQuery(c, long, new Date(0), new Date(60_000), 15);

    const [short, post, postRange] = server.requests;
    expect(short!.method).toBe('GET');
    expect(post!.method).toBe('POST');
    expect(post!.path).toBe('/api/v1/query');
    expect(post!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(post!.body);
    expect(form.get('query')).toBe(long);
    expect(form.get('time')).not.toBeNull();
    expect(post!.url.length).toBeLessThan(200);
    expect(postRange!.method).toBe('POST');
    expect(new URLSearchParams(postRange!.body).get('step')).toBe('15');
  });

  it('re-reads a rotated bearer token file', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, vector([])));
    const file = join(dir, 'rotating-token');
    writeFileSync(file, 'first-token\n');
    const c = conn(server.url, { bearerTokenFile: file });
    await instantQuery(c, 'up');
    writeFileSync(file, 'second-token\n');
    await instantQuery(c, 'up');
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer first-token', 'Bearer second-token']);
  });
});

describe('faults', () => {
  it('connection refused → unreachable, retried a bounded number of times', async () => {
    const port = await closedPort();
    const c = conn(`http://127.0.0.1:${port}`, { retries: 2 });
    const started = Date.now();
    const error = await failure(instantQuery(c, 'up'));
    expect(error.kind).toBe('unreachable');
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.attempts).toBe(3);
    expect(error.message).toBe(
      `Prometheus at http://127.0.0.1:${port}/ is unreachable (connection refused, 3 attempts); check --prometheus and that Prometheus is up and reachable from here`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a server that accepts and never answers → timeout in about timeoutMs, not timeoutMs × retries', async () => {
    const server = await serve(() => {
      /* never answer */
    });
    const timeoutMs = 600;
    const c = conn(server.url, { timeoutMs, retries: 5 });
    const started = Date.now();
    const error = await failure(instantQuery(c, 'up'));
    const elapsed = Date.now() - started;
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('did not answer within 600ms');
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(elapsed).toBeLessThan(3 * timeoutMs);
    expect(server.requests).toHaveLength(1);
    expectOneLine(error);
  });

  it('a server that trickles its answer forever → timeout at the overall deadline', async () => {
    const timers: NodeJS.Timeout[] = [];
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"status":"success","data":{"resultType":"vector","result":[');
      let n = 0;
      const timer = setInterval(() => {
        if (n++ > 100 || res.destroyed) {
          clearInterval(timer);
          return;
        }
        res.write(' ');
      }, 50);
      timers.push(timer);
    });
    const timeoutMs = 700;
    const started = Date.now();
    const error = await failure(instantQuery(conn(server.url, { timeoutMs }), 'up'));
    const elapsed = Date.now() - started;
    timers.forEach(clearInterval);
    expect(error.kind).toBe('timeout');
    expect(elapsed).toBeLessThan(3 * timeoutMs);
  });

  it('500 then 200 → retried, success', async () => {
    const server = await serve((_req, res, i) => {
      if (i === 0) sendJson(res, 500, { status: 'error', errorType: 'internal', error: 'boom' });
      else sendJson(res, 200, vector([{ metric: {}, value: [1, '7'] }]));
    });
    const result = await instantQuery(conn(server.url), 'up');
    expect(result.series).toEqual([{ labels: {}, value: 7 }]);
    expect(server.requests).toHaveLength(2);
  });

  it('503 always → gives up after the bounded retries', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('upstream unavailable');
    });
    const error = await failure(instantQuery(conn(server.url, { retries: 3 }), 'up'));
    expect(server.requests).toHaveLength(4);
    expect(error.kind).toBe('http-status');
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(4);
    expect(error.message).toContain('HTTP 503 Service Unavailable, 4 attempts');
    expectOneLine(error);
  });

  it('503 with retries: 0 → one request', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, '{}'));
    const error = await failure(instantQuery(conn(server.url, { retries: 0 }), 'up'));
    expect(server.requests).toHaveLength(1);
    expect(error.kind).toBe('http-status');
  });

  it('never sleeps into the deadline: retries stop when time is short, with the real cause', async () => {
    const server = await serve((_req, res) => sendJson(res, 502, '{}'));
    const error = await failure(instantQuery(conn(server.url, { retries: 10, timeoutMs: 300 }), 'up'));
    expect(error.kind).toBe('http-status');
    expect(error.status).toBe(502);
    expect(server.requests.length).toBeLessThan(5);
  });

  it('429 with Retry-After → waits as told, then succeeds', async () => {
    const server = await serve((_req, res, i) => {
      if (i === 0) sendJson(res, 429, 'slow down', { 'Retry-After': '1' });
      else sendJson(res, 200, vector([]));
    });
    const started = Date.now();
    await instantQuery(conn(server.url), 'up');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('429 with a Retry-After beyond the cap → fails at once, says when to retry', async () => {
    const server = await serve((_req, res) => sendJson(res, 429, 'slow down', { 'Retry-After': '3600' }));
    const started = Date.now();
    const error = await failure(instantQuery(conn(server.url), 'up'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
    expect(error.kind).toBe('http-status');
    expect(error.status).toBe(429);
    expect(error.message).toContain('asked to retry after 3600s');
  });

  it('400 status:error errorType:bad_data → query-error, no retry', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected character\ninside braces' }),
    );
    const error = await failure(instantQuery(conn(server.url), 'up{'));
    expect(server.requests).toHaveLength(1);
    expect(error.kind).toBe('query-error');
    expect(error.errorType).toBe('bad_data');
    expect(error.status).toBe(400);
    expect(error.message).toContain('rejected the query (bad_data: 1:5: parse error: unexpected character inside braces)');
    expectOneLine(error);
  });

  it('422 execution error → query-error, no retry', async () => {
    const server = await serve((_req, res) => sendJson(res, 422, { status: 'error', errorType: 'execution', error: 'many-to-many matching not allowed' }));
    const error = await failure(instantQuery(conn(server.url), 'a / b'));
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'query-error', errorType: 'execution', status: 422 });
  });

  it('an instant query that evaluates to a matrix → query-error', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, matrix([])));
    const error = await failure(instantQuery(conn(server.url), 'up[5m]'));
    expect(error.kind).toBe('query-error');
    expect(error.message).toContain('evaluated the query to a matrix, not a vector');
  });

  it('an HTML page → not-prometheus, showing its title', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html>\n<html><head><title>Grafana</title></head><body>hello</body></html>');
    });
    const error = await failure(instantQuery(conn(server.url), 'up'));
    expect(server.requests).toHaveLength(1);
    expect(error.kind).toBe('not-prometheus');
    expect(error.message).toContain('an HTML page titled "Grafana"');
    expectOneLine(error);
  });

  it('truncated JSON → not-prometheus', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"val');
    });
    const error = await failure(instantQuery(conn(server.url), 'up'));
    expect(error.kind).toBe('not-prometheus');
    expect(error.message).toContain('truncated or invalid JSON');
  });

  it('JSON without status, or a bad sample value → not-prometheus', async () => {
    const server = await serve((_req, res, i) =>
      sendJson(res, 200, i === 0 ? { hello: 'world' } : vector([{ metric: {}, value: [1, 'twelve'] }])),
    );
    const first = await failure(instantQuery(conn(server.url), 'up'));
    expect(first.kind).toBe('not-prometheus');
    expect(first.message).toContain('JSON without a Prometheus "status" field');
    const second = await failure(instantQuery(conn(server.url), 'up'));
    expect(second.kind).toBe('not-prometheus');
    expect(second.message).toContain('a sample value that is not a number');
  });

  it('404 → http-status pointing at the base URL', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found');
    });
    const error = await failure(instantQuery(conn(server.url), 'up'));
    expect(error).toMatchObject({ kind: 'http-status', status: 404 });
    expect(error.message).toContain('has no /api/v1/query (HTTP 404 Not Found)');
  });

  it('a redirect is reported, not followed', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { Location: 'https://login.example.com/oauth2/start?rd=%2F&state=xyz-secret' });
      res.end();
    });
    const error = await failure(instantQuery(conn(server.url), 'up'));
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'http-status', status: 302 });
    expect(error.message).toContain('redirected to https://login.example.com/oauth2/start/');
    expect(error.message).not.toContain('xyz-secret');
  });
});

describe('secrets never leak', () => {
  const token = 'tok-Sup3rS3cretBearer';
  const password = 'pa55-w0rd-secret';
  const tenant = 'tenant-secret';

  function renderings(error: unknown): string[] {
    const e = error as Error;
    const own = Object.getOwnPropertyNames(e).map((name) => {
      try {
        return String((e as unknown as Record<string, unknown>)[name]);
      } catch {
        return '';
      }
    });
    return [
      e.message,
      e.stack ?? '',
      String(e),
      JSON.stringify(e),
      inspect(e, { depth: 10 }),
      inspect(e, { depth: 10, showHidden: true }),
      ...own,
    ];
  }

  function expectClean(error: unknown, secrets: string[]): void {
    expect((error as { cause?: unknown }).cause).toBeUndefined();
    for (const text of renderings(error)) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  }

  /** A hostile 401 that echoes every credential it received. */
  const echo401: Handler = (req, res) => {
    sendJson(res, 401, {
      status: 'error',
      errorType: 'unauthorized',
      error: `bad credentials: ${String(req.headers.authorization)} for tenant ${String(req.headers['x-scope-orgid'])}`,
    });
  };

  it('bearer token + X-Scope-OrgID, 401 → http-status; the server got them, the error shows none', async () => {
    const server = await serve(echo401);
    const file = join(dir, 'token');
    writeFileSync(file, `${token}\n`);
    const c = conn(server.url, { bearerTokenFile: file, headers: [`X-Scope-OrgID: ${tenant}`] });
    const error = await failure(instantQuery(c, 'up'));
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(server.requests[0]!.headers['x-scope-orgid']).toBe(tenant);
    expect(error.kind).toBe('http-status');
    expect(error.status).toBe(401);
    expect(error.message).toContain('refused the credentials (HTTP 401 Unauthorized: bad credentials: Bearer *** for tenant ***)');
    expect(error.message).toContain('--bearer-token-file');
    expectClean(error, [token, tenant]);
    for (const text of [JSON.stringify(c), inspect(c, { depth: 10, showHidden: true }), String(c)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(tenant);
    }
  });

  it('basic auth in the URL + X-Scope-OrgID, 401 → nothing of them in the error', async () => {
    const server = await serve(echo401);
    const url = server.url.replace('http://', `http://admin:${encodeURIComponent(password)}@`);
    const c = conn(url, { headers: [`X-Scope-OrgID: ${tenant}`] });
    expect(c.displayUrl).toBe(`${server.url}/`);
    const error = await failure(instantQuery(c, 'up'));
    const expectedAuth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    expect(server.requests[0]!.headers.authorization).toBe(expectedAuth);
    expect(server.requests[0]!.headers['x-scope-orgid']).toBe(tenant);
    expect(error.kind).toBe('http-status');
    expectClean(error, [password, tenant, expectedAuth.slice('Basic '.length), 'admin:']);
  });

  it('secrets in other failure paths: refused, timeout, bad_data, HTML', async () => {
    const file = join(dir, 'token2');
    writeFileSync(file, token);
    const options = { bearerTokenFile: file, headers: [`X-Scope-OrgID: ${tenant}`], retries: 0 };
    const secrets = [token, tenant];

    const port = await closedPort();
    expectClean(await failure(instantQuery(conn(`http://127.0.0.1:${port}/?key=${tenant}`, options), 'up')), secrets);

    const hang = await serve(() => undefined);
    expectClean(await failure(instantQuery(conn(hang.url, { ...options, timeoutMs: 200 }), 'up')), secrets);

    const bad = await serve((req, res) =>
      sendJson(res, 400, { status: 'error', errorType: 'bad_data', error: `no ${String(req.headers.authorization)} ${tenant}` }),
    );
    expectClean(await failure(instantQuery(conn(bad.url, options), 'up')), secrets);

    const html = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<html><body>Welcome ${tenant}, your token is ${token}</body></html>`);
    });
    const htmlError = await failure(instantQuery(conn(html.url, options), 'up'));
    expect(htmlError.kind).toBe('not-prometheus');
    expect(htmlError.message).toContain('Welcome ***, your token is ***');
    expectClean(htmlError, secrets);
  });

  it('warnings echoing a secret are redacted', async () => {
    const server = await serve((req, res) => sendJson(res, 200, vector([], [`tenant ${String(req.headers['x-scope-orgid'])} is close to its limit`])));
    const result = await instantQuery(conn(server.url, { headers: [`X-Scope-OrgID: ${tenant}`] }), 'up');
    expect(result.warnings).toEqual(['tenant *** is close to its limit']);
  });
});
