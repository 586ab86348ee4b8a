/**
 * Queries against a Prometheus-compatible HTTP API, on top of prometheus-query's
 * `PrometheusDriver` (SPEC §2, §5, §10).
 *
 * What the driver does here: builds the requests — endpoint + `/api/v1/`, the PromQL
 * parameters and time formatting, GET, or POST with a form-encoded body (`preferPost`),
 * the headers. What it cannot do, and how this module gets around it:
 * - it creates its own axios instance and has no `httpsAgent`/`signal`/`validateStatus`
 *   option: its `requestInterceptor` receives the final axios config and sets them;
 * - its results parse `"+Inf"`/`"-Inf"` as NaN, round timestamps through `Date`, drop the
 *   body's `warnings` (its `warningHook` reads a field axios never sets) and the response
 *   headers (`Retry-After`), and its errors cannot tell HTML from truncated JSON, nor TLS
 *   failures from refused connections: its `responseInterceptor` captures the raw status,
 *   headers and body, which `parse.ts` reads strictly; the driver's own result is unused;
 * - its errors are plain objects holding the whole axios error (`original`, whose `config`
 *   carries the Authorization header): they are swallowed, never rethrown or attached.
 * - its `preferPost` is fixed per driver, and a driver is made per attempt anyway (it is a
 *   thin object), so GET or POST is chosen per request: GET when the URL stays within
 *   2,000 characters, form-encoded POST beyond (SPEC §5: "POST when long").
 * - it has no retries: `execute` below retries, within one overall deadline.
 */

import http from 'node:http';

import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { PrometheusDriver } from 'prometheus-query';

import { connectionInternals, displayUrl, requestHeaders, type PrometheusConnection } from './connection.js';
import { PrometheusError, type PrometheusErrorDetails } from './errors.js';
import {
  parseBuildInfoData,
  parseInstantData,
  parseRangeData,
  readEnvelope,
  ShapeError,
  WrongResultType,
  type BuildInfo,
  type Envelope,
  type InstantSample,
  type Labels,
  type ParsedData,
  type RangeSeries,
} from './parse.js';
import { oneLine, redact } from './redact.js';

export type { BuildInfo, InstantSample, Labels, RangePoint, RangeSeries } from './parse.js';

export interface InstantQueryResult {
  series: InstantSample[];
  warnings: string[];
}

export interface RangeQueryResult {
  series: RangeSeries[];
  warnings: string[];
}

/** Retry and request policy; exported for documentation and tests. */
export const REQUEST_POLICY = Object.freeze({
  /** Beyond this many characters of GET URL, the query is sent as a form-encoded POST. */
  maxGetUrlLength: 2000,
  /** Backoff before retry k (1-based): uniform in [d/2, d], d = min(maxDelayMs, baseDelayMs·2^(k−1)). */
  baseDelayMs: 250,
  maxDelayMs: 4000,
  /** A `Retry-After` longer than this is not waited for: the call fails at once. */
  maxRetryAfterMs: 10_000,
  /** No retry is started with less than this left before the deadline. */
  minAttemptMs: 50,
  /**
   * A response body beyond this is refused, not buffered: the answer to mesh-split's
   * aggregated queries is far smaller, and an unbounded body would exhaust memory.
   */
  maxResponseBytes: 64 * 1024 * 1024,
});

/** Evaluates `promql` at `time` (default: now). A scalar result gives one unlabelled series. */
export async function instantQuery(conn: PrometheusConnection, promql: string, time?: Date): Promise<InstantQueryResult> {
  if (typeof promql !== 'string' || promql.trim() === '') throw new TypeError('instantQuery: empty PromQL');
  const at = time ?? new Date();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('instantQuery: invalid time');
  const params = { query: promql, time: at.getTime() / 1000 };
  const { value, warnings } = await execute(conn, {
    path: 'query',
    params,
    send: (driver) => driver.instantQuery(promql, at),
    parse: parseInstantData,
  });
  return { series: value, warnings };
}

/** Evaluates `promql` over [start, end] every `stepSeconds`. */
export async function rangeQuery(
  conn: PrometheusConnection,
  promql: string,
  start: Date,
  end: Date,
  stepSeconds: number,
): Promise<RangeQueryResult> {
  if (typeof promql !== 'string' || promql.trim() === '') throw new TypeError('rangeQuery: empty PromQL');
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) throw new TypeError('rangeQuery: invalid start');
  if (!(end instanceof Date) || Number.isNaN(end.getTime())) throw new TypeError('rangeQuery: invalid end');
  if (end.getTime() < start.getTime()) throw new RangeError('rangeQuery: end is before start');
  if (!Number.isFinite(stepSeconds) || stepSeconds <= 0) throw new RangeError('rangeQuery: step must be positive');
  const params = { query: promql, start: start.getTime() / 1000, end: end.getTime() / 1000, step: stepSeconds };
  const { value, warnings } = await execute(conn, {
    path: 'query_range',
    params,
    send: (driver) => driver.rangeQuery(promql, start, end, stepSeconds),
    parse: parseRangeData,
  });
  return { series: value, warnings };
}

/** `/api/v1/status/buildinfo`: a cheap probe that the URL is a Prometheus API. */
export async function buildInfo(conn: PrometheusConnection): Promise<BuildInfo> {
  const { value } = await execute(conn, {
    path: 'status/buildinfo',
    params: {},
    send: (driver) => driver.statusBuildinfo(),
    parse: (data) => ({ value: parseBuildInfoData(data), notes: [] }),
  });
  return value;
}

// ---------------------------------------------------------------------------------------------
// One call: attempts within a deadline

interface Operation<T> {
  /** Path under /api/v1/. */
  path: string;
  /** The parameters the driver will send, to size the GET URL. */
  params: Record<string, string | number>;
  send: (driver: PrometheusDriver) => Promise<unknown>;
  parse: (data: unknown) => ParsedData<T>;
}

interface ResponseOutcome {
  type: 'response';
  status: number;
  statusText: string;
  body: string;
  contentType: string;
  retryAfter?: string;
  location?: string;
}

/** What one attempt produced, captured by the interceptors. Never leaves this module. */
type AttemptOutcome = ResponseOutcome | { type: 'transport'; code: string } | { type: 'deadline' } | { type: 'too-large' };

async function execute<T>(conn: PrometheusConnection, op: Operation<T>): Promise<{ value: T; warnings: string[] }> {
  const internals = connectionInternals(conn);
  const url = conn.displayUrl;
  const deadline = Date.now() + conn.timeoutMs;
  const maxAttempts = conn.retries + 1;
  const usePost = getUrlLength(internals.endpoint, op, internals.extraParams) > REQUEST_POLICY.maxGetUrlLength;
  let attempts = 0;

  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw render(timeoutFailure(url, conn.timeoutMs), attempts, internals.secrets);
    attempts++;
    const outcome = await attempt(conn, op, usePost, remaining);

    if (outcome.type === 'deadline') throw render(timeoutFailure(url, conn.timeoutMs), attempts, internals.secrets);
    if (outcome.type === 'too-large') throw render(tooLargeFailure(url), attempts, internals.secrets);
    if (outcome.type === 'response' && outcome.status >= 200 && outcome.status < 300) {
      const success = readSuccess(outcome, op, url, internals.secrets);
      if (!success.ok) throw render(success.failure, attempts, internals.secrets);
      return { value: success.value, warnings: success.warnings };
    }

    const failure =
      outcome.type === 'transport' ? transportFailure(outcome.code, url) : responseFailure(outcome, op.path, url, internals.secrets);
    if (!failure.retryable || attempts >= maxAttempts) throw render(failure, attempts, internals.secrets);
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > REQUEST_POLICY.maxRetryAfterMs) throw render(failure, attempts, internals.secrets);
    const delay = failure.retryAfterMs ?? backoffMs(attempts);
    // Never sleep into the deadline: report the real failure rather than a timeout.
    if (Date.now() + delay + REQUEST_POLICY.minAttemptMs >= deadline) throw render(failure, attempts, internals.secrets);
    await sleep(delay);
  }
}

/** Backoff before retry `k` (1-based), with jitter. */
export function backoffMs(k: number, random: () => number = Math.random): number {
  const ceiling = Math.min(REQUEST_POLICY.maxDelayMs, REQUEST_POLICY.baseDelayMs * 2 ** (k - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function getUrlLength(endpoint: string, op: Operation<unknown>, extra: ConnectionExtra): number {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(op.params)) search.append(key, String(value));
  for (const [key, value] of extra) search.append(key, value);
  return `${endpoint}/api/v1/${op.path}?${search.toString()}`.length;
}

type ConnectionExtra = readonly (readonly [string, string])[];

/** One HTTP exchange through the driver, ending by `remainingMs` at the latest. */
async function attempt(conn: PrometheusConnection, op: Operation<unknown>, usePost: boolean, remainingMs: number): Promise<AttemptOutcome> {
  const internals = connectionInternals(conn);
  let outcome: AttemptOutcome | undefined;
  const controller = new AbortController();
  let deadlinePassed = false;
  const timer = setTimeout(() => {
    deadlinePassed = true;
    controller.abort();
  }, remainingMs);

  const driver = new PrometheusDriver({
    endpoint: internals.endpoint,
    baseURL: '/api/v1/',
    headers: { Accept: 'application/json', 'User-Agent': 'mesh-split', ...requestHeaders(conn) },
    // The driver's (axios') timeout is an idle-socket timeout; the abort signal above is the
    // real deadline. Keep this one as a backstop only.
    timeout: remainingMs + 1000,
    preferPost: usePost,
    withCredentials: false,
    requestInterceptor: {
      onFulfilled: (config: InternalAxiosRequestConfig) => {
        config.adapter = 'http';
        config.httpAgent = internals.httpAgent;
        config.httpsAgent = internals.httpsAgent;
        config.signal = controller.signal;
        config.responseType = 'text';
        config.transformResponse = [(data: unknown) => data];
        config.validateStatus = () => true;
        config.maxRedirects = 0; // a redirect is reported, not followed with our headers
        config.maxContentLength = REQUEST_POLICY.maxResponseBytes;
        if (internals.extraParams.length > 0) {
          const params = config.params instanceof URLSearchParams ? config.params : new URLSearchParams();
          for (const [key, value] of internals.extraParams) params.append(key, value);
          config.params = params;
        }
        return config;
      },
    },
    responseInterceptor: {
      onFulfilled: (response: AxiosResponse) => {
        const header = (name: string): string | undefined => {
          const value: unknown = response.headers?.[name];
          return typeof value === 'string' ? value : undefined;
        };
        const retryAfter = header('retry-after');
        const location = header('location');
        outcome = {
          type: 'response',
          status: response.status,
          statusText: typeof response.statusText === 'string' ? response.statusText : '',
          body: typeof response.data === 'string' ? response.data : '',
          contentType: header('content-type') ?? '',
          ...(retryAfter !== undefined ? { retryAfter } : {}),
          ...(location !== undefined ? { location } : {}),
        };
        return response;
      },
      onRejected: (error: unknown) => {
        outcome = deadlinePassed ? { type: 'deadline' } : isTooLarge(error) ? { type: 'too-large' } : { type: 'transport', code: errorCode(error) };
        // What the driver wraps and throws is swallowed below; give it nothing worth keeping.
        throw { code: 'ERR_MESH_SPLIT_CAPTURED' };
      },
    },
  });

  try {
    await op.send(driver);
  } catch {
    // Outcome captured above; the driver's error object (which holds the axios error and its
    // config, Authorization header included) is dropped here on purpose.
  } finally {
    clearTimeout(timer);
  }
  if (outcome) return outcome;
  if (deadlinePassed) return { type: 'deadline' };
  // The driver failed before sending anything: a bug, not a Prometheus problem.
  throw new Error('internal error: the Prometheus request was never sent');
}

/** The most specific code of a Node/axios error, without keeping the error. */
function errorCode(error: unknown): string {
  const pick = (value: unknown): string | undefined => {
    const code = (value as { code?: unknown } | null | undefined)?.code;
    return typeof code === 'string' && code !== '' ? code : undefined;
  };
  const cause = (error as { cause?: unknown } | null | undefined)?.cause;
  const nested = (cause as { errors?: unknown } | null | undefined)?.errors;
  const first = Array.isArray(nested) ? nested.map(pick).find((c) => c !== undefined) : undefined;
  // axios' own wrapper codes (ERR_NETWORK, ERR_BAD_RESPONSE…) are less precise than the cause's.
  const own = pick(error);
  const causeCode = pick(cause);
  // axios' name for a body cut short by the server (its code alone says only ERR_BAD_RESPONSE).
  if (own === 'ERR_BAD_RESPONSE' && messageOf(error) === 'stream has been aborted') return 'ERR_STREAM_PREMATURE_CLOSE';
  if (own && !own.startsWith('ERR_')) return own;
  return causeCode ?? first ?? own ?? 'UNKNOWN';
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : '';
}

/** axios refused a body beyond `maxContentLength`. */
function isTooLarge(error: unknown): boolean {
  return (error as { code?: unknown } | null | undefined)?.code === 'ERR_BAD_RESPONSE' && messageOf(error).startsWith('maxContentLength');
}

// ---------------------------------------------------------------------------------------------
// Classification

/**
 * A failure, not yet rendered: the message is `${lead} (${reason}[, N attempts]); ${hint}` —
 * one line, built from our own words plus redacted, collapsed server text.
 */
interface Failure {
  lead: string;
  reason: string;
  hint: string;
  details: Omit<PrometheusErrorDetails, 'attempts'>;
  retryable: boolean;
  retryAfterMs?: number;
}

function render(failure: Failure, attempts: number, secrets: readonly string[]): PrometheusError {
  const parts = [failure.reason, attempts > 1 ? `${attempts} attempts` : ''].filter((p) => p !== '');
  const paren = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  // Redacted once more as a whole: a redirect target or a status line may echo a credential.
  return new PrometheusError(redact(`${failure.lead}${paren}; ${failure.hint}`, secrets), { ...failure.details, attempts });
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

function tlsReason(code: string): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'self-signed certificate';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
    case 'INVALID_CA':
      return 'certificate signed by an unknown authority';
    case 'CERT_HAS_EXPIRED':
      return 'certificate expired';
    case 'CERT_NOT_YET_VALID':
      return 'certificate not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
      return 'certificate not valid for this host name';
    case 'EPROTO':
      return 'TLS handshake failed';
    default:
      return `TLS error ${code}`;
  }
}

function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.includes('CERT');
}

const RETRYABLE_TRANSPORT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  EAI_AGAIN: 'temporary DNS failure',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ENETDOWN: 'network down',
  EHOSTDOWN: 'host down',
  ETIMEDOUT: 'connection timed out',
  ECONNABORTED: 'connection aborted',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed before the whole response arrived',
};

function transportFailure(code: string, url: string): Failure {
  if (isTlsCode(code)) {
    const hint =
      code === 'EPROTO' || code.startsWith('ERR_SSL_')
        ? 'check the scheme of --prometheus (http:// or https://)'
        : code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH'
          ? 'use the host name the certificate was issued for, or --insecure-skip-tls-verify'
          : 'pass --ca-file with the CA that signed it, or --insecure-skip-tls-verify';
    return {
      lead: `TLS connection to Prometheus at ${url} failed`,
      reason: tlsReason(code),
      hint,
      details: { kind: 'tls', url, code },
      retryable: false,
    };
  }
  const retryableReason = RETRYABLE_TRANSPORT[code];
  const reason =
    retryableReason ??
    (code === 'ENOTFOUND' ? 'host name not found' : code === 'ERR_FR_TOO_MANY_REDIRECTS' ? 'too many redirects' : `network error ${code}`);
  return {
    lead: `Prometheus at ${url} is unreachable`,
    reason,
    hint: 'check --prometheus and that Prometheus is up and reachable from here',
    details: { kind: 'unreachable', url, code },
    retryable: retryableReason !== undefined,
  };
}

function timeoutFailure(url: string, timeoutMs: number): Failure {
  return {
    lead: `Prometheus at ${url} did not answer within ${formatMs(timeoutMs)}`,
    reason: '',
    hint: "raise --timeout, or check Prometheus' load and the network",
    details: { kind: 'timeout', url },
    retryable: false,
  };
}

function tooLargeFailure(url: string): Failure {
  return {
    lead: `The server at ${url} answered with more than ${REQUEST_POLICY.maxResponseBytes / (1024 * 1024)} MiB`,
    reason: 'stopped reading there',
    hint: 'check that --prometheus is the base URL of Prometheus, and that a --query-file aggregates by the labels needed only',
    details: { kind: 'not-prometheus', url },
    retryable: false,
  };
}

function formatMs(ms: number): string {
  if (ms >= 1000) return Number.isInteger(ms / 1000) ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms)}ms`;
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.replace(/^\uFEFF/, '')) };
  } catch {
    return { ok: false };
  }
}

function statusLine(status: number, statusText: string, secrets: readonly string[]): string {
  // A reason phrase of the server's own may echo what it was sent: redacted before it is cut
  // (a cut secret would no longer match).
  const text = http.STATUS_CODES[status] ?? oneLine(statusText.replace(/[^\x20-\x7e]/g, ''), secrets, 60);
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** Describes a body that is not the Prometheus API, with a redacted peek at it. */
function describeNonApiBody(body: string, contentType: string, secrets: readonly string[]): string {
  const trimmed = body.trim();
  if (trimmed === '') return 'an empty body';
  const peek = `"${oneLine(trimmed, secrets, 80)}"`;
  if (/^</.test(trimmed) || /html|xml/i.test(contentType)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    return title !== undefined && title.trim() !== '' ? `an HTML page titled "${oneLine(title, secrets, 80)}"` : `an HTML page: ${peek}`;
  }
  if (/^[[{]/.test(trimmed)) {
    const parsed = parseJson(trimmed);
    return parsed.ok ? `JSON without a Prometheus "status" field: ${peek}` : `truncated or invalid JSON: ${peek}`;
  }
  return `something that is not JSON: ${peek}`;
}

function notPrometheus(url: string, what: string, status: number): Failure {
  return {
    lead: `The server at ${url} did not answer like the Prometheus API`,
    reason: `it sent ${what}`,
    hint: 'check that --prometheus is the base URL of Prometheus, e.g. http://prometheus.istio-system:9090',
    details: { kind: 'not-prometheus', url, status },
    retryable: false,
  };
}

function queryFailure(url: string, envelope: Envelope, status: number, secrets: readonly string[], retryable: boolean): Failure {
  const errorType = envelope.errorType !== undefined ? oneLine(envelope.errorType, secrets, 40) : undefined;
  const text = envelope.error !== undefined ? oneLine(envelope.error, secrets, 300) : 'no error text';
  const hint =
    errorType === 'timeout' || errorType === 'canceled'
      ? 'the query took longer than Prometheus allows; try a shorter --window or try again later'
      : errorType === 'unavailable' || errorType === 'internal'
        ? 'Prometheus is in trouble; try again later'
        : 'check the query template or --query-file';
  const couldNotRun = errorType === 'timeout' || errorType === 'canceled' || errorType === 'unavailable' || errorType === 'internal';
  return {
    lead: couldNotRun ? `Prometheus at ${url} could not run the query` : `Prometheus at ${url} rejected the query`,
    reason: errorType !== undefined && errorType !== '' ? `${errorType}: ${text}` : text,
    hint,
    details: { kind: 'query-error', url, status, ...(errorType !== undefined ? { errorType } : {}) },
    retryable,
  };
}

function responseFailure(outcome: ResponseOutcome, path: string, url: string, secrets: readonly string[]): Failure {
  const { status } = outcome;
  const parsed = parseJson(outcome.body);
  const envelope = parsed.ok ? readEnvelope(parsed.value) : undefined;
  const line = statusLine(status, outcome.statusText, secrets);
  const serverText = envelope?.error !== undefined ? `: ${oneLine(envelope.error, secrets, 160)}` : '';
  const httpStatus = { kind: 'http-status' as const, url, status };

  if (status === 401 || status === 403) {
    return {
      lead: `Prometheus at ${url} refused the credentials`,
      reason: `${line}${serverText}`,
      hint: 'check --bearer-token-file, the user:password in --prometheus and --header (e.g. X-Scope-OrgID)',
      details: httpStatus,
      retryable: false,
    };
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(outcome.retryAfter);
    const asked = retryAfterMs !== undefined ? `, asked to retry after ${formatMs(retryAfterMs)}` : '';
    return {
      lead: `Prometheus at ${url} is rate-limiting requests`,
      reason: `${line}${asked}`,
      hint: 'try again later',
      details: httpStatus,
      retryable: true,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (status >= 500) {
    const retryAfterMs = parseRetryAfter(outcome.retryAfter);
    const failure: Failure =
      envelope?.status === 'error'
        ? queryFailure(url, envelope, status, secrets, true)
        : {
            lead: `Prometheus at ${url} failed`,
            reason: line,
            hint: 'Prometheus or a proxy in front of it is in trouble; try again later',
            details: httpStatus,
            retryable: true,
          };
    return { ...failure, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (envelope?.status === 'error' && status >= 400) {
    return queryFailure(url, envelope, status, secrets, false);
  }
  if (status >= 300 && status < 400) {
    const to = outcome.location !== undefined ? ` to ${displayUrl(outcome.location)}` : '';
    return {
      lead: `Prometheus at ${url} redirected${to}`,
      reason: line,
      hint: 'give --prometheus the final URL (a redirect to a login page means an authenticating proxy is in front)',
      details: httpStatus,
      retryable: false,
    };
  }
  if (status === 404 || status === 405) {
    return {
      lead: `Prometheus at ${url} has no /api/v1/${path}`,
      reason: line,
      hint: 'check that --prometheus is the base URL of Prometheus (with its path prefix, if it has one)',
      details: httpStatus,
      retryable: false,
    };
  }
  return {
    lead: `Prometheus at ${url} refused the request`,
    reason: `${line}${serverText}`,
    hint: 'check --prometheus and the options that go with it',
    details: httpStatus,
    retryable: false,
  };
}

function readSuccess<T>(
  outcome: ResponseOutcome,
  op: Operation<T>,
  url: string,
  secrets: readonly string[],
): { ok: true; value: T; warnings: string[] } | { ok: false; failure: Failure } {
  const parsed = parseJson(outcome.body);
  const envelope = parsed.ok ? readEnvelope(parsed.value) : undefined;
  if (!envelope) {
    return { ok: false, failure: notPrometheus(url, describeNonApiBody(outcome.body, outcome.contentType, secrets), outcome.status) };
  }
  if (envelope.status === 'error') return { ok: false, failure: queryFailure(url, envelope, outcome.status, secrets, false) };
  try {
    const { value, notes } = op.parse(envelope.data);
    const warnings = [...envelope.warnings.map((w) => oneLine(w, secrets, 500)), ...notes];
    return { ok: true, value, warnings };
  } catch (error) {
    if (error instanceof WrongResultType) {
      return {
        ok: false,
        failure: {
          lead: `Prometheus at ${url} evaluated the query to a ${oneLine(error.got, secrets, 20)}, not a ${error.expected}`,
          reason: '',
          hint: 'check the query template or --query-file',
          details: { kind: 'query-error', url, status: outcome.status },
          retryable: false,
        },
      };
    }
    if (error instanceof ShapeError) {
      return { ok: false, failure: notPrometheus(url, `a response with ${error.message}`, outcome.status) };
    }
    throw error;
  }
}

/** `Retry-After`: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
