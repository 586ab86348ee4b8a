import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { backoffMs, parseRetryAfter, REQUEST_POLICY } from '../../src/prometheus/client.js';
import { PrometheusError, PrometheusUsageError } from '../../src/prometheus/errors.js';
import { parseInstantData, parseRangeData, parseSampleValue, readEnvelope, ShapeError } from '../../src/prometheus/parse.js';
import { oneLine, redact, redactUserInfo } from '../../src/prometheus/redact.js';

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redact('token abc123 and abc123 again, tenant t-1', ['abc123', 't-1'])).toBe('token *** and *** again, tenant ***');
  });

  it('removes a secret that contains another one whole', () => {
    expect(redact('Bearer-xyz secret', ['xyz', 'Bearer-xyz'])).toBe('*** secret');
  });

  it('removes URL user-info and long Bearer/Basic credentials it was not told about', () => {
    expect(redact('GET https://bob:pw@host/x failed', [])).toBe('GET https://***@host/x failed');
    expect(redact('Authorization: Bearer eyJhbGciOi.xyz', [])).toBe('Authorization: Bearer ***');
    expect(redact('a Bearer token is missing', [])).toBe('a Bearer token is missing');
  });

  it('removes token=, password= and secret= values it was not told about', () => {
    expect(redact('GET /api?access_token=eyJabc.def&x=1 failed', [])).toBe('GET /api?access_token=***&x=1 failed');
    expect(redact('plugin: token=s3cr3t, password="two words" PASSWD=x;', [])).toBe('plugin: token=***, password=*** PASSWD=***;');
    expect(redact('client-secret=abc', [])).toBe('client-secret=***');
    expect(redact('the token is missing; password: see docs', [])).toBe('the token is missing; password: see docs');
  });

  it('property: URL user-info is found exactly as the regex /([a-z][a-z0-9+.-]*:\\/\\/)[^\\s/@]+@/gi finds it', () => {
    const characters = fc.constantFrom('a', 'Z', 'h', '9', '+', '.', '-', ':', '/', '@', ' ', '\n', '\u00a0', 'x', '_');
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 40 }).map((list) => list.join('')), (text) => {
        expect(redactUserInfo(text)).toBe(text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@'));
      }),
      { numRuns: 3000 },
    );
  });

  it('handles a megabyte of scheme characters (a hex blob in a proxy page) and still finds the credential after it', () => {
    const blob = '3fa9b2c1'.repeat(131_072);
    const text = `${blob}://${blob} ${blob} https://user:secret@prometheus.example/`;
    const out = redactUserInfo(text);
    expect(out.endsWith('https://***@prometheus.example/')).toBe(true);
    expect(out.includes('secret')).toBe(false);
    expect(oneLine(text, [], 80)).toHaveLength(80);
  });

  it('ignores empty and all-star secrets, and is total', () => {
    expect(redact('a * b', ['', '*'])).toBe('a * b');
    expect(redact('', ['x'])).toBe('');
  });

  it('handles the boundary case where replacing recreates a secret', () => {
    expect(redact('aa*', ['a*'])).not.toContain('a*');
  });

  it('property: no secret survives, whatever the text', () => {
    const secret = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /[^*]/.test(s));
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 6 }), (secrets, filler) => {
        const text = filler.flatMap((f, i) => [f, secrets[i % secrets.length]!]).join('');
        const out = redact(text, secrets);
        for (const s of secrets) expect(out.includes(s)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('oneLine collapses whitespace, redacts across line breaks and cuts', () => {
    expect(oneLine('a\n\tb\r\nc', [])).toBe('a b c');
    expect(oneLine('x'.repeat(50), [], 10)).toBe(`${'x'.repeat(9)}…`);
    expect(oneLine('key=se\ncret', ['se\ncret'])).toBe('key=***');
  });
});

describe('parseSampleValue', () => {
  it.each([
    ['1', 1],
    ['-2.5', -2.5],
    ['1e3', 1000],
    ['1.5E-3', 0.0015],
    ['.5', 0.5],
    ['NaN', NaN],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['Inf', Infinity],
    ['+Infinity', Infinity],
    ['0', 0],
    ['-0', -0],
  ])('%j → %d', (raw, expected) => {
    expect(parseSampleValue(raw)).toBe(expected);
  });

  it.each([[''], ['abc'], ['1,5'], ['0x10'], [' 1'], [null], [{}]])('%j is refused', (raw) => {
    expect(() => parseSampleValue(raw)).toThrow(ShapeError);
  });

  it('property: round-trips Go-style formatting of any double', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const formatted = Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'NaN' : x === Infinity ? '+Inf' : x === -Infinity ? '-Inf' : String(x);
        expect(Object.is(parseSampleValue(formatted), x)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('response shapes', () => {
  it('reads envelopes', () => {
    expect(readEnvelope({ status: 'success', data: 1, warnings: ['w', 3] })).toEqual({ status: 'success', data: 1, warnings: ['w'] });
    expect(readEnvelope({ status: 'error', errorType: 'bad_data', error: 'x' })).toMatchObject({ errorType: 'bad_data', error: 'x' });
    expect(readEnvelope({ status: 'ok' })).toBeUndefined();
    expect(readEnvelope([])).toBeUndefined();
    expect(readEnvelope(null)).toBeUndefined();
  });

  it('skips native-histogram series with a note', () => {
    const parsed = parseInstantData({
      resultType: 'vector',
      result: [
        { metric: { a: '1' }, value: [1, '2'] },
        { metric: { a: '2' }, histogram: [1, { count: '3', sum: '4' }] },
      ],
    });
    expect(parsed.value).toEqual([{ labels: { a: '1' }, value: 2 }]);
    expect(parsed.notes).toHaveLength(1);
  });

  it('refuses broken shapes', () => {
    expect(() => parseInstantData({ resultType: 'vector', result: {} })).toThrow(ShapeError);
    expect(() => parseInstantData({ resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '1'] }] })).toThrow(ShapeError);
    expect(() => parseRangeData({ resultType: 'matrix', result: [{ metric: {} }] })).toThrow(ShapeError);
    expect(() => parseRangeData({ resultType: 'matrix', result: [{ metric: {}, values: [[1]] }] })).toThrow(ShapeError);
    expect(() => parseRangeData(undefined)).toThrow(ShapeError);
  });
});

describe('retry policy helpers', () => {
  it('backoff grows exponentially with jitter, capped', () => {
    expect(backoffMs(1, () => 0)).toBe(REQUEST_POLICY.baseDelayMs / 2);
    expect(backoffMs(1, () => 1)).toBe(REQUEST_POLICY.baseDelayMs);
    expect(backoffMs(3, () => 1)).toBe(REQUEST_POLICY.baseDelayMs * 4);
    expect(backoffMs(30, () => 1)).toBe(REQUEST_POLICY.maxDelayMs);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('errors', () => {
  it('serialise to their safe fields only', () => {
    const error = new PrometheusError('Prometheus at http://p/ is unreachable (connection refused); check --prometheus', {
      kind: 'unreachable',
      url: 'http://p/',
      code: 'ECONNREFUSED',
      attempts: 3,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'PrometheusError',
      kind: 'unreachable',
      message: 'Prometheus at http://p/ is unreachable (connection refused); check --prometheus',
      url: 'http://p/',
      attempts: 3,
      code: 'ECONNREFUSED',
    });
    expect(String(error)).toMatch(/^PrometheusError: /);
    expect(error.stack).toMatch(/^PrometheusError: /);
    expect(new PrometheusUsageError('--header', 'bad').toJSON()).toEqual({ name: 'PrometheusUsageError', option: '--header', message: 'bad' });
  });
});
