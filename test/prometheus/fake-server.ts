/**
 * A fault-injecting fake Prometheus for tests: Node's http/https on 127.0.0.1, port 0.
 * Every request is recorded (method, URL, headers, body) before the handler runs.
 */

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach } from 'vitest';

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse, index: number) => void;

export interface FakeServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(handler: Handler, tls?: { key: string | Buffer; cert: string | Buffer }): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      handler(recorded, res, requests.length - 1);
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // TLS handshake failures are expected in some tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that was bound and then released: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export function vector(result: { metric: Record<string, string>; value: [number, string] }[], warnings?: string[]): unknown {
  return { status: 'success', data: { resultType: 'vector', result }, ...(warnings ? { warnings } : {}) };
}

export function matrix(result: { metric: Record<string, string>; values: [number, string][] }[]): unknown {
  return { status: 'success', data: { resultType: 'matrix', result } };
}

const exampleHost = (name: string) => `${name}.default.svc.cluster.local`;

/** What a healthy Prometheus answers for `examples/helloworld`: all three routes pass. */
export const EXAMPLE_TRAFFIC = vector([
  { metric: { source_workload: 'sleep', destination_service: exampleHost('helloworld-v1'), destination_version: 'v1' }, value: [0, '600'] },
  { metric: { source_workload: 'sleep', destination_service: exampleHost('helloworld-v2'), destination_version: 'v2' }, value: [0, '2400'] },
  { metric: { source_workload: 'istio-ingressgateway', destination_service: exampleHost('helloworld-v1'), destination_version: 'v1' }, value: [0, '2100'] },
  { metric: { source_workload: 'istio-ingressgateway', destination_service: exampleHost('helloworld-v2'), destination_version: 'v2' }, value: [0, '900'] },
  { metric: { source_workload: 'sleep', destination_service: exampleHost('helloworld'), destination_version: 'v1' }, value: [0, '700'] },
  { metric: { source_workload: 'sleep', destination_service: exampleHost('helloworld'), destination_version: 'v2' }, value: [0, '300'] },
]);

/** A starter of fake servers for one test file: every server it started is closed after each test. */
export function useFakeServers(): (handler: Handler) => Promise<FakeServer> {
  const servers: FakeServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (handler) => {
    const server = await startFakeServer(handler);
    servers.push(server);
    return server;
  };
}
