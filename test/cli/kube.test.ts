import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sendJson, startFakeServer, vector, matrix } from '../prometheus/fake-server.js';
import { runCli, ROOT, type CliResult } from '../support/cli.js';

/**
 * `--kube` against a fake kubectl. A real kubectl may sit in /usr/bin, so the fake's directory
 * goes FIRST on PATH; every test checks the fake's log to be sure it was the one that ran.
 */
const FIXTURES = join(ROOT, 'test/fixtures/kube');
const FAKE = join(FIXTURES, 'fake-kubectl.mjs');
const LIST = join(FIXTURES, 'list.json');
const INVALID = join(FIXTURES, 'invalid-weight.json');

const CROSS_NAMESPACE = join(FIXTURES, 'cross-namespace.json');

const ROUTES = 'virtualservices.networking.istio.io';
const ROUTES_WITH_HTTPROUTES = `${ROUTES},httproutes.gateway.networking.k8s.io`;
const CONTEXT = 'destinationrules.networking.istio.io,gateways.networking.istio.io,serviceentries.networking.istio.io,services';
const RESOURCES = `${ROUTES},${CONTEXT}`;
const WITH_HTTPROUTES = `${RESOURCES},httproutes.gateway.networking.k8s.io`;

/** kubectl's calls in a stable order: the routes and their context are read side by side. */
function sorted(calls: string[][]): string[][] {
  const key = (call: string[]) => JSON.stringify(call);
  return [...calls].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

interface Json {
  results: {
    virtualService: { kind: string; name: string; namespace: string; file: string; line: number };
    binding: string;
    destinations: { host: string; subset: string | null; version: string | null; declaredPercent: number; line: number }[];
  }[];
  findings: { code: string; level: string; object: string | null; file: string | null; line: number | null; message: string }[];
}

let dir: string;
let bin: string;
let emptyBin: string;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesh-split-kube-'));
  bin = join(dir, 'bin');
  emptyBin = join(dir, 'empty');
  await Promise.all([mkdir(bin), mkdir(emptyBin)]);
  const wrapper = join(bin, 'kubectl');
  await writeFile(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`);
  await chmod(wrapper, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI with the fake kubectl first on PATH; returns the result and kubectl's calls. */
async function withFake(
  args: readonly string[],
  options: { mode?: string; stdout?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult & { calls: string[][] }> {
  const log = join(dir, `calls-${++runs}.log`);
  const result = await runCli(args, {
    timeoutMs: options.timeoutMs,
    env: {
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      FAKE_KUBECTL_LOG: log,
      FAKE_KUBECTL_MODE: options.mode ?? 'ok',
      FAKE_KUBECTL_STDOUT: options.stdout ?? LIST,
      ...options.env,
    },
  });
  const text = await readFile(log, 'utf8').catch(() => '');
  const calls = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as string[]);
  return { ...result, calls };
}

/** The line of `needle` in `kubectl get KIND NAME -o json`'s output for one List item. */
function lineInItem(item: unknown, needle: string): number {
  const lines = JSON.stringify(item, null, 4).split('\n');
  const index = lines.findIndex((line) => line.includes(needle));
  expect(index, `${needle} in the item`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

async function listItem(file: string, kind: string, name: string): Promise<unknown> {
  const list = JSON.parse(await readFile(file, 'utf8')) as { items: { kind: string; metadata: { name: string } }[] };
  const item = list.items.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  expect(item).toBeDefined();
  return item;
}

describe('kubectl arguments', () => {
  test('reads the routes in kubectl\'s own namespace and their routing context in every namespace, as JSON, one call each', async () => {
    const result = await withFake(['routes', '--kube', '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(sorted(result.calls)).toEqual([
      ['get', CONTEXT, '-o', 'json', '--all-namespaces'],
      ['get', ROUTES_WITH_HTTPROUTES, '-o', 'json'],
    ]);
  });

  test('--context and --namespace are passed on; the context is read in every namespace', async () => {
    const result = await withFake(['routes', '--kube', '--context', 'prod-eu', '--namespace', 'bookinfo', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(sorted(result.calls)).toEqual([
      ['get', CONTEXT, '-o', 'json', '--context', 'prod-eu', '--all-namespaces'],
      ['get', ROUTES_WITH_HTTPROUTES, '-o', 'json', '--context', 'prod-eu', '--namespace', 'bookinfo'],
    ]);
  });

  test('-n is --namespace', async () => {
    const result = await withFake(['routes', '--kube', '-n', 'shop', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(sorted(result.calls)).toEqual([
      ['get', CONTEXT, '-o', 'json', '--all-namespaces'],
      ['get', ROUTES_WITH_HTTPROUTES, '-o', 'json', '--namespace', 'shop'],
    ]);
  });

  test('-A / --all-namespaces reads everything in one call (and no --namespace)', async () => {
    for (const flag of ['-A', '--all-namespaces']) {
      const result = await withFake(['routes', '--kube', '--context', 'c1', flag, '-o', 'json']);
      expect(result.code, flag).toBe(0);
      expect(result.calls, flag).toEqual([['get', WITH_HTTPROUTES, '-o', 'json', '--context', 'c1', '--all-namespaces']]);
    }
  });

  test('the kube options also come from MESH_SPLIT_* variables', async () => {
    const result = await withFake(['routes', '-o', 'json'], {
      env: { MESH_SPLIT_KUBE: 'true', MESH_SPLIT_CONTEXT: 'from-env', MESH_SPLIT_NAMESPACE: 'bookinfo' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(sorted(result.calls)).toEqual([
      ['get', CONTEXT, '-o', 'json', '--context', 'from-env', '--all-namespaces'],
      ['get', ROUTES_WITH_HTTPROUTES, '-o', 'json', '--context', 'from-env', '--namespace', 'bookinfo'],
    ]);

    const all = await withFake(['routes', '--kube', '-o', 'json'], { env: { MESH_SPLIT_ALL_NAMESPACES: 'true' } });
    expect(all.code).toBe(0);
    expect(all.calls).toEqual([['get', WITH_HTTPROUTES, '-o', 'json', '--all-namespaces']]);
  });
});

describe('routes of one namespace, routing context from every namespace', () => {
  test('a VirtualService in shop finds the DestinationRule and Service of its host in backend (no false MS101/MS102)', async () => {
    const result = await withFake(['routes', '--kube', '-n', 'shop', '-o', 'json'], { stdout: CROSS_NAMESPACE });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.findings).toEqual([]);
    // Only shop's routes: backend's own VirtualService is not read.
    expect(json.results.map((r) => `${r.virtualService.namespace}/${r.virtualService.name}`)).toEqual(['shop/storefront-api']);
    expect(json.results[0]?.destinations.map((d) => [d.subset, d.version, d.declaredPercent])).toEqual([
      ['v1', 'v1', 90],
      ['v2', 'v2', 10],
    ]);
  });

  test('namespace-scoped RBAC: the context is read in the namespace only, and an MS206 says so', async () => {
    const result = await withFake(['routes', '--kube', '-n', 'shop', '-o', 'json'], { stdout: CROSS_NAMESPACE, mode: 'namespace-scoped' });
    expect(result.code).toBe(65);
    expect(sorted(result.calls)).toEqual([
      ['get', CONTEXT, '-o', 'json', '--all-namespaces'],
      ['get', CONTEXT, '-o', 'json', '--namespace', 'shop'],
      ['get', ROUTES_WITH_HTTPROUTES, '-o', 'json', '--namespace', 'shop'],
    ]);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.findings.map((item) => item.code)).toEqual(expect.arrayContaining(['MS101', 'MS206']));
    expect(json.findings.find((item) => item.code === 'MS206')).toMatchObject({
      level: 'info',
      file: 'kubectl',
      message: expect.stringMatching(/in every namespace is forbidden; read in namespace shop only, so subsets, Services and Gateways defined in other namespaces are not seen/),
    });
  });
});
describe('kubectl output', () => {
  test('a kind: List becomes results; objects are named kube:NS/Kind/name with lines counted within the object', async () => {
    const result = await withFake(['routes', '--kube', '-A', '-o', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.findings).toEqual([]);
    expect(json.results).toHaveLength(2);

    const [reviews, checkout] = [
      json.results.find((r) => r.virtualService.name === 'reviews'),
      json.results.find((r) => r.virtualService.name === 'checkout'),
    ];
    const vs = await listItem(LIST, 'VirtualService', 'reviews');
    expect(reviews?.virtualService).toEqual({
      kind: 'VirtualService',
      name: 'reviews',
      namespace: 'bookinfo',
      file: 'kube:bookinfo/VirtualService/reviews',
      line: 1,
    });
    expect(reviews?.destinations).toEqual([
      expect.objectContaining({ host: 'reviews.bookinfo.svc.cluster.local', subset: 'v1', version: 'v1', declaredPercent: 25, line: lineInItem(vs, '"weight": 25') }),
      expect.objectContaining({ host: 'reviews.bookinfo.svc.cluster.local', subset: 'v2', version: 'v2', declaredPercent: 75, line: lineInItem(vs, '"weight": 75') }),
    ]);
    // As kubectl prints a lone object: the item's `{` is line 1, its first weight line 24.
    expect(reviews?.destinations[0]?.line).toBe(24);

    const route = await listItem(LIST, 'HTTPRoute', 'checkout');
    expect(checkout?.virtualService).toMatchObject({ kind: 'HTTPRoute', namespace: 'shop', file: 'kube:shop/HTTPRoute/checkout', line: 1 });
    expect(checkout?.binding).toBe('mesh');
    expect(checkout?.destinations).toEqual([
      expect.objectContaining({ host: 'checkout.shop.svc.cluster.local', version: null, declaredPercent: 90, line: lineInItem(route, '"weight": 9') }),
      expect.objectContaining({ host: 'checkout-canary.shop.svc.cluster.local', version: 'canary', declaredPercent: 10, line: lineInItem(route, '"weight": 1') }),
    ]);
  });

  test('text output of the same objects', async () => {
    const result = await withFake(['routes', '--kube', '-A']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/bookinfo\/reviews\s+mesh\s+http\[0\]\s+reviews\.bookinfo\.svc\.cluster\.local\s+v1\s+v1\s+25%/);
    expect(result.stdout).toMatch(/httproute\/shop\/checkout/);
    expect(result.stdout).toContain('2 routes in 2 objects; 0 errors, 0 warnings, 0 info');
  });

  test('findings on live objects point at kube:NS/Kind/name and the line within that object', async () => {
    const result = await withFake(['routes', '--kube', '-n', 'bookinfo', '-o', 'json'], { stdout: INVALID });
    expect(result.code).toBe(65);
    const json = JSON.parse(result.stdout) as Json;
    const vs = await listItem(INVALID, 'VirtualService', 'ratings');
    const negative = json.findings.find((item) => item.code === 'MS003');
    expect(negative).toMatchObject({
      level: 'error',
      object: 'VirtualService bookinfo/ratings',
      file: 'kube:bookinfo/VirtualService/ratings',
      line: lineInItem(vs, '"weight": -20'),
    });
    expect(negative?.message).toMatch(/weight/);
  });

  test('output that is not JSON is an input error naming kubectl', async () => {
    const garbage = join(dir, 'garbage.txt');
    await writeFile(garbage, '{"apiVersion": "v1", "items": [\n');
    const result = await withFake(['routes', '--kube', '-o', 'json'], { stdout: garbage });
    expect(result.code).toBe(65);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.findings[0]).toMatchObject({ code: 'MS001', file: 'kubectl' });
  });
});

describe('kubectl failures', () => {
  test('a cluster without the Gateway API: read again without httproutes, and succeed', async () => {
    const result = await withFake(['routes', '--kube', '--context', 'kind', '-n', 'bookinfo', '-o', 'json'], { mode: 'no-httproutes' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(sorted(result.calls)).toEqual([
      ['get', CONTEXT, '-o', 'json', '--context', 'kind', '--all-namespaces'],
      ['get', ROUTES, '-o', 'json', '--context', 'kind', '--namespace', 'bookinfo'],
      ['get', ROUTES_WITH_HTTPROUTES, '-o', 'json', '--context', 'kind', '--namespace', 'bookinfo'],
    ]);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.results.length).toBeGreaterThan(0);
    expect(json.findings).toEqual([]);
  });

  test('listing httproutes forbidden: read again without them, succeed, and an MS206 says they were left out', async () => {
    const result = await withFake(['routes', '--kube', '-A', '-o', 'json'], { mode: 'forbidden-httproutes' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      ['get', WITH_HTTPROUTES, '-o', 'json', '--all-namespaces'],
      ['get', RESOURCES, '-o', 'json', '--all-namespaces'],
    ]);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.results.map((r) => r.virtualService.kind)).toEqual(['VirtualService']);
    expect(json.findings).toEqual([
      { code: 'MS206', level: 'info', object: null, file: 'kubectl', line: null, message: 'listing HTTPRoutes is forbidden; read without them, so HTTPRoutes in any namespace are not checked' },
    ]);
  });

  test('the read again without httproutes fails too: exit 65 with its reason, not an internal error', async () => {
    const result = await withFake(['routes', '--kube', '-A', '-o', 'json'], { mode: 'retry-fails' });
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'mesh-split: kubectl failed: Error from server (Forbidden): serviceentries.networking.istio.io is forbidden: User "ci" cannot list resource "serviceentries" in API group "networking.istio.io" at the cluster scope\n',
    );
    expect(result.code).toBe(65);
    expect(result.calls).toEqual([
      ['get', WITH_HTTPROUTES, '-o', 'json', '--all-namespaces'],
      ['get', RESOURCES, '-o', 'json', '--all-namespaces'],
    ]);
  });

  test('a generic failure: exit 65 with kubectl\'s summary (its last line, not the klog lines before it), nothing on stdout, no retry', async () => {
    const result = await withFake(['routes', '--kube', '-o', 'json'], { mode: 'fail' });
    expect(result.code).toBe(65);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('mesh-split: kubectl failed: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n');
    // The two calls run side by side; the first failure ends the read (and the other call).
    expect(new Set(result.calls.map((call) => JSON.stringify(call))).size).toBe(result.calls.length);
  });

  test('klog and Warning: lines before the error are skipped', async () => {
    const stderr = [
      'W1206 12:00:00.000000       1 gcp.go:120] WARNING: the gcp auth plugin is deprecated in v1.22+, unavailable in v1.26+; use gcloud instead.',
      'Warning: networking.istio.io/v1alpha3 VirtualService is deprecated',
      'Error from server (Forbidden): virtualservices.networking.istio.io is forbidden: User "ci" cannot list resource "virtualservices" in API group "networking.istio.io" in the namespace "shop"',
      '',
    ].join('\n');
    const result = await withFake(['routes', '--kube', '-A'], { mode: 'stderr', env: { FAKE_KUBECTL_STDERR: stderr } });
    expect(result.code).toBe(65);
    expect(result.stderr).toBe(
      'mesh-split: kubectl failed: Error from server (Forbidden): virtualservices.networking.istio.io is forbidden: User "ci" cannot list resource "virtualservices" in API group "networking.istio.io" in the namespace "shop"\n',
    );
  });

  test('credentials a credential plugin prints are not echoed', async () => {
    const stderr = [
      'E1206 12:00:00.000000       1 exec.go:1] Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl',
      'error: getting credentials: exec: plugin said: POST https://admin:hunter2@auth.example/token?token=tok-4711&password=pw-4711 failed: Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl',
      '',
    ].join('\n');
    const result = await withFake(['routes', '--kube', '-A'], { mode: 'stderr', env: { FAKE_KUBECTL_STDERR: stderr } });
    expect(result.code).toBe(65);
    expect(result.stderr).toBe(
      'mesh-split: kubectl failed: error: getting credentials: exec: plugin said: POST https://***@auth.example/token?token=***&password=*** failed: Authorization: Bearer ***\n',
    );
    for (const secret of ['hunter2', 'tok-4711', 'pw-4711', 'eyJ']) expect(result.stderr + result.stdout).not.toContain(secret);
  });

  test('a missing Istio resource type is not retried (only httproutes is optional)', async () => {
    const result = await withFake(['routes', '--kube', '-A'], { mode: 'no-istio' });
    expect(result.code).toBe(65);
    expect(result.stderr).toContain('kubectl failed: error: the server doesn\'t have a resource type "virtualservices"');
    expect(result.calls).toHaveLength(1);
  });

  test('a failure without any message still says kubectl failed, with its exit code', async () => {
    const result = await withFake(['routes', '--kube'], { mode: 'fail-silent' });
    expect(result.code).toBe(65);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^mesh-split: kubectl failed: exit code 1$/m);
  });

  test('kubectl missing from PATH: exit 65, a clear message', async () => {
    const result = await runCli(['routes', '--kube'], { env: { PATH: emptyBin } });
    expect(result.code).toBe(65);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/kubectl not found/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  test('a kubectl that is not executable: exit 65, it cannot be run (permission denied), naming the file', async () => {
    const directory = join(dir, 'not-executable');
    await mkdir(directory);
    await writeFile(join(directory, 'kubectl'), '#!/bin/sh\necho never\n', { mode: 0o644 });
    const result = await runCli(['routes', '--kube'], { env: { PATH: `${directory}${delimiter}${emptyBin}` } });
    expect(result.code).toBe(65);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`mesh-split: kubectl cannot be run (permission denied: ${join(directory, 'kubectl')}); make it executable, or read files with -f\n`);
  });

  test('a kubectl script whose interpreter is missing: exit 65, it could not be started (not "not found on PATH")', async () => {
    const directory = join(dir, 'no-interpreter');
    await mkdir(directory);
    await writeFile(join(directory, 'kubectl'), '#!/no/such/interpreter\n', { mode: 0o755 });
    const result = await runCli(['routes', '--kube'], { env: { PATH: `${directory}${delimiter}${emptyBin}` } });
    expect(result.code).toBe(65);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`mesh-split: kubectl could not be started (${join(directory, 'kubectl')}: its interpreter or loader was not found)\n`);
  });
});

describe('check --kube --wait', () => {
  /** helloworld's one Service split by DestinationRule subsets, `v1`% to v1. */
  const helloworld = (v1: number) => ({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'helloworld', namespace: 'default' },
        spec: {
          hosts: ['helloworld.default.svc.cluster.local'],
          http: [
            {
              route: [
                { destination: { host: 'helloworld.default.svc.cluster.local', subset: 'v1' }, weight: v1 },
                { destination: { host: 'helloworld.default.svc.cluster.local', subset: 'v2' }, weight: 100 - v1 },
              ],
            },
          ],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'helloworld', namespace: 'default' },
        spec: {
          host: 'helloworld.default.svc.cluster.local',
          subsets: [
            { name: 'v1', labels: { version: 'v1' } },
            { name: 'v2', labels: { version: 'v2' } },
          ],
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'helloworld', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 5000 }] } },
    ],
  });
  const traffic = (version: string, requests: number) => ({
    metric: { source_workload: 'sleep', destination_service: 'helloworld.default.svc.cluster.local', destination_version: version },
    value: [0, String(requests)] as [number, string],
  });

  test('reads the live objects again for every evaluation: weights a canary controller changed meanwhile are judged, not the first ones', async () => {
    const objects = join(dir, 'helloworld-live.json');
    await writeFile(objects, JSON.stringify(helloworld(90)));
    // No traffic at first (inconclusive, so --wait evaluates again); then traffic sent under 70/30.
    const state = { rolledOut: false };
    const server = await startFakeServer((req, res) => {
      if (req.path.endsWith('/query_range')) return sendJson(res, 200, matrix([]));
      sendJson(res, 200, vector(state.rolledOut ? [traffic('v1', 700), traffic('v2', 300)] : []));
    });
    try {
      const running = withFake(['check', '--kube', '-n', 'default', '--prometheus', server.url, '--wait', '1m', '-o', 'json'], { stdout: objects, timeoutMs: 30_000 });
      for (let waited = 0; server.requests.length === 0; waited += 50) {
        if (waited > 15_000) throw new Error('no evaluation within 15 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The controller moves the split to 70/30 while check waits.
      await writeFile(objects, JSON.stringify(helloworld(70)));
      state.rolledOut = true;
      const result = await running;
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as { exitCode: number; results: { status: string; destinations: { declaredPercent: number }[] }[] };
      expect(report.results.map((r) => [r.status, r.destinations.map((d) => d.declaredPercent)])).toEqual([['pass', [70, 30]]]);
      expect(result.code).toBe(0);
      // Two evaluations, each with its own reading (the routes, and their context).
      expect(result.calls).toHaveLength(4);
    } finally {
      await server.close();
    }
  });
});
