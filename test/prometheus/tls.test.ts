import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { instantQuery } from '../../src/prometheus/client.js';
import { createConnection } from '../../src/prometheus/connection.js';
import { PrometheusError } from '../../src/prometheus/errors.js';
import { sendJson, startFakeServer, vector, type FakeServer } from './fake-server.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const openssl = hasOpenssl();
if (!openssl) {
  // Loud on purpose: these cases are skipped, not passed.
  console.warn('\n*** openssl not found on PATH: the TLS tests of test/prometheus/tls.test.ts are SKIPPED ***\n');
}

/** A self-signed certificate (its own CA) for the given subjectAltName. */
function selfSigned(dir: string, name: string, san: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

describe.skipIf(!openssl)('TLS to a server with a self-signed certificate', () => {
  let dir: string;
  let server: FakeServer;
  let wrongHost: FakeServer;
  let otherCa: string;
  let serverCa: string;
  let wrongHostCa: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mesh-split-tls-'));
    const good = selfSigned(dir, 'prometheus', 'IP:127.0.0.1,DNS:localhost');
    const other = selfSigned(dir, 'other', 'DNS:other.invalid');
    const elsewhere = selfSigned(dir, 'elsewhere', 'DNS:prometheus.example.invalid');
    serverCa = good.certFile;
    otherCa = other.certFile;
    wrongHostCa = elsewhere.certFile;
    server = await startFakeServer((_req, res) => sendJson(res, 200, vector([{ metric: {}, value: [1, '1'] }])), good);
    wrongHost = await startFakeServer((_req, res) => sendJson(res, 200, vector([])), elsewhere);
  });

  afterAll(async () => {
    await server?.close();
    await wrongHost?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function tlsFailure(promise: Promise<unknown>): Promise<PrometheusError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PrometheusError);
    return error as PrometheusError;
  }

  it('without a CA → tls, not retried', async () => {
    const before = server.requests.length;
    const error = await tlsFailure(instantQuery(createConnection({ url: server.url, timeoutMs: 5000 }), 'up'));
    expect(error.kind).toBe('tls');
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('self-signed certificate');
    expect(error.message).toContain('--ca-file');
    expect(server.requests.length).toBe(before);
  });

  it('with the wrong CA → tls', async () => {
    const error = await tlsFailure(instantQuery(createConnection({ url: server.url, timeoutMs: 5000, caFile: otherCa }), 'up'));
    expect(error.kind).toBe('tls');
  });

  it('with --ca-file → success', async () => {
    const result = await instantQuery(createConnection({ url: server.url, timeoutMs: 5000, caFile: serverCa }), 'up');
    expect(result.series).toEqual([{ labels: {}, value: 1 }]);
  });

  it('with --insecure-skip-tls-verify → success', async () => {
    const result = await instantQuery(createConnection({ url: server.url, timeoutMs: 5000, insecureSkipTlsVerify: true }), 'up');
    expect(result.series).toHaveLength(1);
  });

  it('a certificate for another host name → tls with a host-name hint', async () => {
    const error = await tlsFailure(instantQuery(createConnection({ url: wrongHost.url, timeoutMs: 5000, caFile: wrongHostCa }), 'up'));
    expect(error.kind).toBe('tls');
    expect(error.message).toContain('certificate not valid for this host name');
  });

  it('https:// to a plain-HTTP port → tls', async () => {
    const plain = await startFakeServer((_req, res) => sendJson(res, 200, vector([])));
    try {
      const error = await tlsFailure(instantQuery(createConnection({ url: plain.url.replace('http:', 'https:'), timeoutMs: 5000 }), 'up'));
      expect(error.kind).toBe('tls');
    } finally {
      await plain.close();
    }
  });
});
