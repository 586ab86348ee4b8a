/**
 * Validated connection settings for a Prometheus-compatible HTTP API (SPEC §3, §10).
 *
 * `createConnection` turns the raw CLI options into a `PrometheusConnection`. Everything
 * secret — the bearer token, the basic-auth password, header values, query-string values of
 * the URL, the TLS agent holding the CA — lives in a module-private WeakMap, not on the object:
 * printing, inspecting or JSON-serialising a connection shows only the display URL and the
 * non-secret settings.
 */

import { FileTooLarge, readSmallFile } from '../files.js';
import http from 'node:http';
import https from 'node:https';
import { inspect } from 'node:util';

import { PrometheusUsageError } from './errors.js';

export interface PrometheusConnectionOptions {
  /** `--prometheus`: base URL of the API, optionally with `user:password@` for basic auth. */
  url: string;
  /** `--bearer-token-file`: the token is read from it (and re-read on every call, for rotation). */
  bearerTokenFile?: string;
  /** `--header` (repeatable): raw `Name: value` strings. */
  headers?: string[];
  /** `--ca-file`: PEM bundle that replaces the system roots for this connection. */
  caFile?: string;
  /** `--insecure-skip-tls-verify`. */
  insecureSkipTlsVerify?: boolean;
  /** `--timeout`: every call (all its retries included) finishes within this many ms. */
  timeoutMs: number;
  /** Extra attempts after a retryable failure (default 2, at most 10). */
  retries?: number;
}

export type PrometheusAuthKind = 'none' | 'basic' | 'bearer' | 'header';

/** Default number of retries after the first attempt. */
export const DEFAULT_RETRIES = 2;
const MAX_RETRIES = 10;

/** A validated connection. Holds no secret in any enumerable or inspectable place. */
export class PrometheusConnection {
  /** URL for humans and reports: no user-info, no query string, no fragment. */
  readonly displayUrl: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly auth: PrometheusAuthKind;
  /** Names (not values) of the `--header` headers. */
  readonly headerNames: readonly string[];
  readonly tls: { readonly caFile?: string; readonly insecureSkipTlsVerify: boolean };

  /** @internal use `createConnection`. */
  constructor(fields: {
    displayUrl: string;
    timeoutMs: number;
    retries: number;
    auth: PrometheusAuthKind;
    headerNames: string[];
    tls: { caFile?: string; insecureSkipTlsVerify: boolean };
  }) {
    this.displayUrl = fields.displayUrl;
    this.timeoutMs = fields.timeoutMs;
    this.retries = fields.retries;
    this.auth = fields.auth;
    this.headerNames = Object.freeze([...fields.headerNames]);
    this.tls = Object.freeze({ ...fields.tls });
    Object.freeze(this);
  }

  toJSON(): Record<string, unknown> {
    return {
      url: this.displayUrl,
      timeoutMs: this.timeoutMs,
      retries: this.retries,
      auth: this.auth,
      headerNames: [...this.headerNames],
      tls: { ...this.tls },
    };
  }

  toString(): string {
    return `PrometheusConnection(${this.displayUrl})`;
  }

  [inspect.custom](): string {
    return `PrometheusConnection ${inspect(this.toJSON())}`;
  }
}

/** What `client.ts` needs to send requests. Never exposed beyond this layer. */
export interface ConnectionInternals {
  /** Origin + path prefix, no user-info, no query, no trailing slash (the driver's `endpoint`). */
  readonly endpoint: string;
  /** Query parameters of the given URL, sent with every request. */
  readonly extraParams: readonly (readonly [string, string])[];
  /** `--header` headers, validated. */
  readonly headers: Readonly<Record<string, string>>;
  readonly basicAuthorization?: string;
  readonly bearerTokenFile?: string;
  bearerToken?: string;
  readonly httpAgent: http.Agent;
  readonly httpsAgent: https.Agent;
  /** Every secret value to redact from server text; grows when the token file rotates. */
  readonly secrets: string[];
}

const internalsByConnection = new WeakMap<PrometheusConnection, ConnectionInternals>();

/** @internal for `client.ts` only. */
export function connectionInternals(conn: PrometheusConnection): ConnectionInternals {
  const internals = internalsByConnection.get(conn);
  if (!internals) throw new TypeError('not a connection made by createConnection()');
  return internals;
}

/**
 * The headers to send right now: `--header` ones plus `Authorization`. The bearer token file
 * is re-read (projected service-account tokens rotate); if it became unreadable or empty, the
 * last good token is kept.
 */
export function requestHeaders(conn: PrometheusConnection): Record<string, string> {
  const internals = connectionInternals(conn);
  const headers: Record<string, string> = { ...internals.headers };
  if (internals.bearerTokenFile !== undefined) {
    try {
      const token = readBearerToken(internals.bearerTokenFile);
      if (token !== internals.bearerToken) {
        internals.bearerToken = token;
        addSecrets(internals.secrets, [token, `Bearer ${token}`]);
      }
    } catch {
      // keep the last good token
    }
    headers.Authorization = `Bearer ${internals.bearerToken ?? ''}`;
  } else if (internals.basicAuthorization !== undefined) {
    headers.Authorization = internals.basicAuthorization;
  }
  return headers;
}

/** Validates the options; throws `PrometheusUsageError` (exit 64) on any problem. */
export function createConnection(options: PrometheusConnectionOptions): PrometheusConnection {
  const secrets: string[] = [];

  const timeoutMs = options.timeoutMs;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new PrometheusUsageError('--timeout', `--timeout must be a positive duration (got ${String(timeoutMs)} ms)`);
  }
  const retries = options.retries ?? DEFAULT_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
    throw new PrometheusUsageError('--retries', `the number of retries must be an integer from 0 to ${MAX_RETRIES} (got ${String(retries)})`);
  }

  const parsed = parsePrometheusUrl(options.url);
  addSecrets(secrets, parsed.secrets);

  const headers: Record<string, string> = {};
  const headerNames: string[] = [];
  const seen = new Set<string>();
  (options.headers ?? []).forEach((raw, index) => {
    const [name, value] = parseHeader(raw, index);
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      throw new PrometheusUsageError('--header', `--header ${name} is given more than once; give each header once`);
    }
    seen.add(lower);
    headers[name] = value;
    headerNames.push(name);
    addSecrets(secrets, [value]);
  });

  const headerAuthorization = seen.has('authorization');
  const sources = [
    parsed.basic ? 'user:password in --prometheus' : undefined,
    options.bearerTokenFile !== undefined ? '--bearer-token-file' : undefined,
    headerAuthorization ? '--header Authorization' : undefined,
  ].filter((s): s is string => s !== undefined);
  if (sources.length > 1) {
    throw new PrometheusUsageError(
      sources.includes('--bearer-token-file') ? '--bearer-token-file' : '--header',
      `${sources.join(' and ')} both set the Authorization header; use only one of them`,
    );
  }

  let basicAuthorization: string | undefined;
  let auth: PrometheusAuthKind = headerAuthorization ? 'header' : 'none';
  if (parsed.basic) {
    const encoded = Buffer.from(`${parsed.basic.username}:${parsed.basic.password}`, 'utf8').toString('base64');
    basicAuthorization = `Basic ${encoded}`;
    addSecrets(secrets, [encoded, basicAuthorization]);
    auth = 'basic';
  }

  let bearerToken: string | undefined;
  if (options.bearerTokenFile !== undefined) {
    const file = options.bearerTokenFile;
    if (typeof file !== 'string' || file.length === 0) {
      throw new PrometheusUsageError('--bearer-token-file', '--bearer-token-file needs a file name');
    }
    try {
      bearerToken = readBearerToken(file);
    } catch (error) {
      throw new PrometheusUsageError('--bearer-token-file', `--bearer-token-file ${file} ${describeTokenProblem(error)}`);
    }
    addSecrets(secrets, [bearerToken, `Bearer ${bearerToken}`]);
    auth = 'bearer';
  }

  let ca: string | undefined;
  if (options.caFile !== undefined) {
    const file = options.caFile;
    if (typeof file !== 'string' || file.length === 0) {
      throw new PrometheusUsageError('--ca-file', '--ca-file needs a file name');
    }
    try {
      ca = readSmallFile(file, MAX_CA_FILE_BYTES);
    } catch (error) {
      throw new PrometheusUsageError('--ca-file', `--ca-file ${file} ${error instanceof FileTooLarge ? error.message : `cannot be read (${fsReason(error)})`}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new PrometheusUsageError('--ca-file', `--ca-file ${file} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
    }
  }
  const insecureSkipTlsVerify = options.insecureSkipTlsVerify === true;

  // Own agents: TLS settings stay per connection, and no keep-alive socket outlives a `check`.
  const httpsAgent = new https.Agent({
    keepAlive: false,
    rejectUnauthorized: !insecureSkipTlsVerify,
    ...(ca !== undefined ? { ca } : {}),
  });
  const httpAgent = new http.Agent({ keepAlive: false });

  const conn = new PrometheusConnection({
    displayUrl: parsed.display,
    timeoutMs,
    retries,
    auth,
    headerNames,
    tls: { ...(options.caFile !== undefined ? { caFile: options.caFile } : {}), insecureSkipTlsVerify },
  });
  internalsByConnection.set(conn, {
    endpoint: parsed.endpoint,
    extraParams: parsed.extraParams,
    headers,
    ...(basicAuthorization !== undefined ? { basicAuthorization } : {}),
    ...(options.bearerTokenFile !== undefined ? { bearerTokenFile: options.bearerTokenFile } : {}),
    ...(bearerToken !== undefined ? { bearerToken } : {}),
    httpAgent,
    httpsAgent,
    secrets,
  });
  return conn;
}

// ---------------------------------------------------------------------------------------------
// URL

interface ParsedPrometheusUrl {
  endpoint: string;
  display: string;
  basic?: { username: string; password: string };
  extraParams: [string, string][];
  secrets: string[];
}

/**
 * Path suffixes people paste by mistake: the API root itself, or the UI's graph page (whose
 * query string is UI state, not something to send).
 */
const JUNK_SUFFIX = /(?:\/api\/v1|\/graph)$/;

function parsePrometheusUrl(raw: string): ParsedPrometheusUrl {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new PrometheusUsageError('--prometheus', '--prometheus needs the URL of Prometheus, e.g. http://prometheus.istio-system:9090');
  }
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PrometheusUsageError(
      '--prometheus',
      `--prometheus ${looseDisplayUrl(text)} is not a valid URL; expected e.g. http://prometheus.istio-system:9090`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const looksSchemeless = /^[a-z0-9.-]+:\d+/i.test(text) || !text.includes('://');
    throw new PrometheusUsageError(
      '--prometheus',
      looksSchemeless
        ? `--prometheus ${looseDisplayUrl(text)} has no http:// or https:// scheme; did you mean http://${looseDisplayUrl(text)}?`
        : `--prometheus must be an http:// or https:// URL (got ${url.protocol}//…)`,
    );
  }
  if (url.hostname === '') {
    throw new PrometheusUsageError('--prometheus', `--prometheus ${looseDisplayUrl(text)} has no host name`);
  }

  const secrets: string[] = [];
  let basic: ParsedPrometheusUrl['basic'];
  if (url.username !== '' || url.password !== '') {
    let username: string;
    let password: string;
    try {
      username = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    } catch {
      throw new PrometheusUsageError('--prometheus', '--prometheus has badly percent-encoded user:password; encode special characters as %XX');
    }
    basic = { username, password };
    // The raw (percent-encoded) forms too: that is how they would appear in an echoed URL.
    secrets.push(password, url.password, `${url.username}:${url.password}`, `${username}:${password}`);
  }

  const graphPage = /\/graph\/*$/.test(url.pathname);
  const extraParams: [string, string][] = [];
  if (!graphPage) {
    for (const [key, value] of url.searchParams) {
      extraParams.push([key, value]);
      secrets.push(value, encodeURIComponent(value));
    }
  }

  const prefix = normalisePath(url.pathname);
  const endpoint = `${url.protocol}//${url.host}${prefix}`;
  return {
    endpoint,
    display: `${endpoint}/`,
    ...(basic ? { basic } : {}),
    extraParams,
    secrets,
  };
}

function normalisePath(pathname: string): string {
  let path = pathname.replace(/\/+$/, '');
  for (let i = 0; i < 2 && JUNK_SUFFIX.test(path); i++) {
    path = path.replace(JUNK_SUFFIX, '').replace(/\/+$/, '');
  }
  return path;
}

/**
 * The URL as shown to users: scheme, host, port and path prefix, always ending in `/`; no
 * user-info, no query string (it may carry tokens), no fragment, no pasted `/api/v1` or
 * `/graph` suffix. Never throws: an unparseable URL is cleaned up textually.
 */
export function displayUrl(url: string | URL): string {
  const text = typeof url === 'string' ? url.trim() : url.href;
  try {
    const parsed = new URL(text);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
      return `${parsed.protocol}//${parsed.host}${normalisePath(parsed.pathname)}/`;
    }
  } catch {
    // fall through
  }
  return looseDisplayUrl(text);
}

/** Textual clean-up for strings that are not valid URLs: drops user-info, query and fragment. */
function looseDisplayUrl(text: string): string {
  // Up to the last @: in a URL that does not parse, a password may hold an unencoded # ? or /,
  // so where the user-info ends is unknown; dropping too much of a broken URL is the safe side.
  const noUserInfo = text.includes('@') ? text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1') : text;
  const cut = noUserInfo.replace(/[?#].*$/s, '').replace(/[\u0000-\u001f\u007f\s]+/g, '');
  return cut.length > 200 ? `${cut.slice(0, 199)}…` : cut;
}

// ---------------------------------------------------------------------------------------------
// Headers

/** RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What Node accepts in a header value, minus leading/trailing whitespace (trimmed). */
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;
/** Headers that would break the framing or the form body; not for users to set. */
const FORBIDDEN_HEADERS = new Set([
  'connection',
  'content-length',
  'content-type',
  'expect',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Parses one `--header` as `Name: value`. Error messages name the header (names are not
 * secret) but never echo the value, nor the raw text when no name can be found in it.
 */
export function parseHeader(raw: string, index = 0): [string, string] {
  const which = `--header #${index + 1}`;
  if (typeof raw !== 'string') {
    throw new PrometheusUsageError('--header', `${which} must be a string of the form 'Name: value'`);
  }
  const colon = raw.indexOf(':');
  if (colon < 0) {
    throw new PrometheusUsageError('--header', `${which} has no ':'; write it as 'Name: value', e.g. 'X-Scope-OrgID: tenant-1'`);
  }
  const name = raw.slice(0, colon);
  if (!HEADER_NAME.test(name)) {
    throw new PrometheusUsageError(
      '--header',
      name.trim() === ''
        ? `${which} has an empty name; write it as 'Name: value'`
        : `${which} has an invalid name (letters, digits and !#$%&'*+.^_\`|~- only, nothing before the ':' but the name)`,
    );
  }
  const value = raw.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  if (value === '') {
    throw new PrometheusUsageError('--header', `--header ${name} has an empty value; write it as '${name}: value'`);
  }
  if (!HEADER_VALUE.test(value)) {
    throw new PrometheusUsageError('--header', `--header ${name} has a value with control or non-Latin-1 characters`);
  }
  if (FORBIDDEN_HEADERS.has(name.toLowerCase())) {
    throw new PrometheusUsageError('--header', `--header ${name} cannot be set; mesh-split sets it itself`);
  }
  return [name, value];
}

// ---------------------------------------------------------------------------------------------
// Files

/** A token is a few KB at most (a JWT); a CA bundle a few hundred (Debian's: ~200 KB). */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;
const MAX_CA_FILE_BYTES = 4 * 1024 * 1024;

function readBearerToken(file: string): string {
  const token = readSmallFile(file, MAX_TOKEN_FILE_BYTES).trim();
  if (token === '') throw new TokenProblem('is empty');
  if (!/^[\u0021-\u007e]+$/.test(token)) throw new TokenProblem('holds whitespace or non-ASCII characters inside the token');
  return token;
}

class TokenProblem extends Error {}

function describeTokenProblem(error: unknown): string {
  if (error instanceof TokenProblem || error instanceof FileTooLarge) return error.message;
  return `cannot be read (${fsReason(error)})`;
}

function fsReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return typeof code === 'string' ? code : 'unreadable';
  }
}

/** Each secret also in the encodings a server may echo it back in (a redirect's URL, a form). */
function addSecrets(secrets: string[], values: readonly string[]): void {
  for (const value of values) {
    const variants = [value, encodeURIComponent(value), encodeURI(value), encodeURIComponent(value).replace(/%20/g, '+')];
    for (const variant of variants) if (variant !== '' && !secrets.includes(variant)) secrets.push(variant);
  }
}
