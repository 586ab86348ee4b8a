// A loopback HTTP proxy in front of Prometheus that counts (and keeps) every request it forwards,
// so the benchmark can say how many requests one `check` sends and replay the same query with curl.
import { request, createServer } from 'node:http';

export function countingProxy(target) {
  const upstream = new URL(target);
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry = { method: req.method, path: req.url, headers: { ...req.headers }, body, status: 0, responseBytes: 0 };
      requests.push(entry);
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          entry.status = answer.statusCode;
          entry.encoding = answer.headers['content-encoding'] ?? 'identity';
          res.writeHead(answer.statusCode, answer.headers);
          answer.on('data', (chunk) => {
            entry.responseBytes += chunk.length;
          });
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => {
        entry.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        requests,
        reset: () => requests.splice(0),
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}
