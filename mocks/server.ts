import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDuration } from '../src/query/duration.js';
import { MockClock } from './clock.js';
import { evaluateInstant, evaluateRange, PromQLError } from './promql/evaluate.js';
import { MemorySource } from './promql/memory-source.js';
import type { LabelMatcher, Series, SeriesSource } from './promql/types.js';
import type { Scenario } from './scenario/schema.js';
import { ScenarioTraffic } from './scenario/traffic.js';

/** Prometheus refuses range queries with more points than this per series. */
const MAX_POINTS = 11_000;
const MAX_BODY_BYTES = 1024 * 1024;

export interface MockResponse {
  status: number;
  body: unknown;
}

/** A scenario's series as a SeriesSource, never showing samples from the mock's future. */
class ScenarioSource implements SeriesSource {
  constructor(
    private readonly traffic: ScenarioTraffic,
    private readonly now: number,
  ) {}

  select(matchers: LabelMatcher[], start: number, end: number): Series[] {
    const until = Math.min(end, this.now);
    return new MemorySource(this.traffic.series(start, until)).select(matchers, start, until);
  }
}

class BadRequest extends Error {}

/** Prometheus' time parameter: unix seconds (fractions allowed) or RFC 3339. */
function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new BadRequest(`invalid parameter "${name}": cannot parse "${value}" to a valid timestamp`);
  return date / 1000;
}

function parseStep(value: string | undefined): number {
  const seconds = value === undefined ? Number.NaN : Number.isFinite(Number(value)) ? Number(value) : (parseDuration(value) ?? Number.NaN);
  if (!(seconds > 0)) throw new BadRequest(`invalid parameter "step": cannot parse "${value ?? ''}" to a valid duration`);
  return seconds;
}

const error = (status: number, errorType: string, message: string): MockResponse => ({
  status,
  body: { status: 'error', errorType, error: message },
});

/**
 * A mock of the Prometheus HTTP API serving a scenario: `/api/v1/query`, `/api/v1/query_range`
 * and `/api/v1/status/buildinfo`, with Prometheus' JSON shapes for success and errors.
 */
export class MockPrometheus {
  readonly clock: MockClock;
  readonly traffic: ScenarioTraffic;

  constructor(
    readonly scenario: Scenario,
    options: { speed?: number; wallStart?: number; wallClock?: () => number } = {},
  ) {
    this.clock = new MockClock(scenario.history, options.speed ?? 1, options.wallStart, options.wallClock);
    this.traffic = new ScenarioTraffic(scenario, this.clock.t0);
  }

  /** The manifests in force now, and when they last changed (mock unix time). */
  manifestsNow(): { text: string; since: number } {
    const { text, since } = this.traffic.timeline.manifestsAt(this.clock.scenarioTime(this.clock.now()));
    return { text, since: this.clock.t0 + since };
  }

  /** Answers one API call; `params` are the query-string and form parameters. */
  handle(path: string, params: URLSearchParams): MockResponse {
    const now = this.clock.now();
    if (path === '/api/v1/status/buildinfo') {
      return { status: 200, body: { status: 'success', data: { version: '2.42.0', revision: 'mesh-split-mock', branch: 'mock', buildUser: 'mesh-split', buildDate: '', goVersion: '' } } };
    }
    if (path !== '/api/v1/query' && path !== '/api/v1/query_range') return { status: 404, body: '404 page not found\n' };
    const outage = this.traffic.timeline.outageAt(this.clock.scenarioTime(now));
    if (outage !== null) return error(outage, 'unavailable', `mock outage (scenario "${this.scenario.name}")`);
    const query = params.get('query');
    if (!query) return error(400, 'bad_data', 'invalid parameter "query": query is missing');
    const source = new ScenarioSource(this.traffic, now);
    try {
      if (path === '/api/v1/query') {
        const wall = parseTime(params.get('time') ?? undefined, 'time');
        const time = wall === undefined ? now : this.clock.toMock(wall);
        return { status: 200, body: { status: 'success', data: evaluateInstant(query, time, source) } };
      }
      const start = parseTime(params.get('start') ?? undefined, 'start');
      const end = parseTime(params.get('end') ?? undefined, 'end');
      if (start === undefined || end === undefined) throw new BadRequest('invalid parameter "start"/"end": both are required');
      if (end < start) throw new BadRequest('invalid parameter "end": end timestamp must not be before start time');
      const step = parseStep(params.get('step') ?? undefined);
      if ((end - start) / step > MAX_POINTS) {
        throw new BadRequest('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
      }
      const data = evaluateRange(query, this.clock.toMock(start), this.clock.toMock(end), step * this.clock.speed, source);
      return { status: 200, body: { status: 'success', data } };
    } catch (caught) {
      if (caught instanceof PromQLError) return error(caught.status, caught.errorType, caught.message);
      if (caught instanceof BadRequest) return error(400, 'bad_data', caught.message);
      throw caught;
    }
  }

  /** Serves the API over HTTP (GET, and POST with a form-encoded body). */
  listen(port = 0, host = '127.0.0.1'): Promise<Server> {
    const server = createServer((request, response) => {
      this.serve(request, response).catch((caught: unknown) => {
        send(response, error(500, 'internal', caught instanceof Error ? caught.message : String(caught)));
      });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://mock');
    const params = new URLSearchParams(url.searchParams);
    if (request.method === 'POST') {
      const body = await readBody(request);
      if (body === null) return send(response, error(413, 'bad_data', 'request body too large'));
      for (const [name, value] of new URLSearchParams(body)) params.append(name, value);
    } else if (request.method !== 'GET') {
      return send(response, { status: 405, body: 'method not allowed\n' });
    }
    send(response, this.handle(url.pathname, params));
  }
}

export function serverUrl(server: Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function send(response: ServerResponse, { status, body }: MockResponse): void {
  const json = typeof body !== 'string';
  response.writeHead(status, { 'content-type': json ? 'application/json' : 'text/plain; charset=utf-8' });
  response.end(json ? JSON.stringify(body) : body);
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
