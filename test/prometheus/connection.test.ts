import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createConnection, DEFAULT_RETRIES, displayUrl, parseHeader, type PrometheusConnectionOptions } from '../../src/prometheus/connection.js';
import { PrometheusUsageError } from '../../src/prometheus/errors.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mesh-split-conn-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function usageError(options: Partial<PrometheusConnectionOptions>): PrometheusUsageError {
  try {
    createConnection({ url: 'http://prometheus:9090', timeoutMs: 1000, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(PrometheusUsageError);
    return error as PrometheusUsageError;
  }
  throw new Error('expected a usage error');
}

describe('displayUrl', () => {
  it.each([
    ['http://127.0.0.1:9', 'http://127.0.0.1:9/'],
    ['http://127.0.0.1:9/', 'http://127.0.0.1:9/'],
    ['https://admin:s3cret@prom.example.com:9090/', 'https://prom.example.com:9090/'],
    ['https://prom.example.com/prometheus//', 'https://prom.example.com/prometheus/'],
    ['http://prom:9090/api/v1/', 'http://prom:9090/'],
    ['http://prom:9090/graph?g0.expr=up&g0.tab=1', 'http://prom:9090/'],
    ['http://prom:9090/?access_token=abc#frag', 'http://prom:9090/'],
    ['  http://PROM:9090  ', 'http://prom:9090/'],
    ['http://[::1]:9090', 'http://[::1]:9090/'],
    ['http://user:pw@', 'http://'],
    ['not a url user:pw@host?x=1', 'host'],
  ])('%s → %s', (input, expected) => {
    expect(displayUrl(input)).toBe(expected);
  });

  it('accepts a URL object', () => {
    expect(displayUrl(new URL('https://a:b@h/p?q=1'))).toBe('https://h/p/');
  });
});

describe('parseHeader', () => {
  it.each([
    ['X-Scope-OrgID: tenant-1', ['X-Scope-OrgID', 'tenant-1']],
    ['X-Scope-OrgID:tenant-1', ['X-Scope-OrgID', 'tenant-1']],
    ['X-Token:   a: b c  ', ['X-Token', 'a: b c']],
    ['Authorization: Bearer xyz', ['Authorization', 'Bearer xyz']],
  ])('%j', (raw, expected) => {
    expect(parseHeader(raw)).toEqual(expected);
  });

  it.each([
    ['tenant-secret-no-colon', "has no ':'"],
    [': value-secret', 'empty name'],
    ['X Foo: value-secret', 'invalid name'],
    [' X-Foo: value-secret', 'invalid name'],
    ['X-Foo : value-secret', 'invalid name'],
    ['X-Foo:', 'empty value'],
    ['X-Foo:    ', 'empty value'],
    ['X-Foo: value-secret\r\nX-Injected: 1', 'control'],
    ['X-Foo: value-secret\u0000', 'control'],
    ['X-Foo: value-secret-\u{1F600}', 'non-Latin-1'],
    ['Content-Length: 12', 'cannot be set'],
    ['transfer-encoding: chunked', 'cannot be set'],
  ])('%j is refused without echoing the value', (raw, fragment) => {
    let error: unknown;
    try {
      parseHeader(raw, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PrometheusUsageError);
    const message = (error as Error).message;
    expect(message).toContain(fragment);
    expect(message).not.toContain('secret');
    expect((error as PrometheusUsageError).option).toBe('--header');
  });
});

describe('createConnection', () => {
  it('keeps only non-secret settings on the object', () => {
    const token = join(dir, 'token');
    writeFileSync(token, '  tok-secret-value \n');
    const conn = createConnection({
      url: 'http://prometheus.istio-system:9090/?access_token=qs-secret',
      bearerTokenFile: token,
      headers: ['X-Scope-OrgID: tenant-secret'],
      timeoutMs: 2000,
    });
    expect(conn.displayUrl).toBe('http://prometheus.istio-system:9090/');
    expect(conn.retries).toBe(DEFAULT_RETRIES);
    expect(conn.auth).toBe('bearer');
    expect(conn.headerNames).toEqual(['X-Scope-OrgID']);
    for (const text of [JSON.stringify(conn), inspect(conn, { depth: 10, showHidden: true }), String(conn), Object.values(conn).join(' ')]) {
      expect(text).not.toContain('tok-secret-value');
      expect(text).not.toContain('tenant-secret');
      expect(text).not.toContain('qs-secret');
    }
    expect(JSON.parse(JSON.stringify(conn))).toEqual({
      url: 'http://prometheus.istio-system:9090/',
      timeoutMs: 2000,
      retries: 2,
      auth: 'bearer',
      headerNames: ['X-Scope-OrgID'],
      tls: { insecureSkipTlsVerify: false },
    });
  });

  it('takes basic auth from the URL', () => {
    const conn = createConnection({ url: 'https://admin:p%40ss@prom.example.com', timeoutMs: 1000 });
    expect(conn.auth).toBe('basic');
    expect(conn.displayUrl).toBe('https://prom.example.com/');
    expect(inspect(conn, { showHidden: true })).not.toContain('p%40ss');
  });

  it.each([
    ['prometheus:9090', 'did you mean http://prometheus:9090'],
    ['ftp://prometheus', 'http:// or https://'],
    ['http://', 'not a valid URL'],
    ['', 'needs the URL'],
    ['http://admin:hunter2-secret@', 'not a valid URL'],
    ['admin:hunter2-secret@prom:9090', 'no http:// or https:// scheme'],
    // Unencoded # ? / in the password: where the user-info ends is a guess, so all before the last @ goes.
    ['http://admin:hunter2#secret@prom:9090', 'not a valid URL'],
    ['http://admin:hunter2/x@y@prom:9090 ', 'not a valid URL'],
    ['admin:hunter2?secret@prom:9090', 'no http:// or https:// scheme'],
  ])('bad URL %j → usage error that does not echo a password', (url, fragment) => {
    const error = usageError({ url });
    expect(error.option).toBe('--prometheus');
    expect(error.message).toContain(fragment);
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses malformed percent-encoding in user-info', () => {
    expect(usageError({ url: 'http://admin:%E0%A4%A@prom:9090' }).message).toContain('percent-encoded');
  });

  it('refuses unreadable, empty or odd token files', () => {
    expect(usageError({ bearerTokenFile: join(dir, 'missing') }).message).toMatch(/--bearer-token-file .*missing cannot be read \(no such file\)/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n  \n');
    expect(usageError({ bearerTokenFile: empty }).message).toContain('is empty');
    const spaced = join(dir, 'spaced');
    writeFileSync(spaced, 'two words-secret');
    const error = usageError({ bearerTokenFile: spaced });
    expect(error.message).toContain('whitespace');
    expect(error.message).not.toContain('words-secret');
    expect(usageError({ bearerTokenFile: dir }).message).toContain('cannot be read');
  });

  it('refuses unreadable or non-PEM CA files', () => {
    expect(usageError({ caFile: join(dir, 'nope.pem') }).option).toBe('--ca-file');
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(usageError({ caFile: notPem }).message).toContain('no PEM certificate');
  });

  it('refuses two sources of Authorization', () => {
    const token = join(dir, 'token-both');
    writeFileSync(token, 'tok');
    expect(usageError({ url: 'http://a:b@prom', bearerTokenFile: token }).message).toContain('use only one');
    expect(usageError({ headers: ['Authorization: Bearer x'], bearerTokenFile: token }).message).toContain('use only one');
    expect(createConnection({ url: 'http://prom', headers: ['Authorization: Bearer x'], timeoutMs: 1 }).auth).toBe('header');
  });

  it('refuses duplicate headers, bad timeouts and retries', () => {
    expect(usageError({ headers: ['X-A: 1', 'x-a: 2'] }).message).toContain('more than once');
    expect(usageError({ timeoutMs: 0 }).option).toBe('--timeout');
    expect(usageError({ timeoutMs: Number.NaN }).option).toBe('--timeout');
    expect(usageError({ retries: -1 }).option).toBe('--retries');
    expect(usageError({ retries: 1.5 }).option).toBe('--retries');
  });
});
