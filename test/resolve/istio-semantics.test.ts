import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostPatterns } from '../../src/resolve/hosts.js';
import { parseManifests } from '../../src/manifests/load.js';
import { codes, lineOf, percents, resolveYaml } from './helpers.js';

const vs = (name: string, namespace: string, spec: string) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}
`;
const dr = (name: string, namespace: string, host: string, subsets: string) => `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  host: ${host}
  subsets: ${subsets}
`;

describe('Istio semantics the resolver follows', () => {
  it('TLS routes with different sniHosts are separate (conditional) routes, both resolved', () => {
    const r = resolveYaml(vs('tls', 'default', `  hosts: [a.example.com, b.example.com]
  gateways: [istio-system/gw]
  tls:
  - match: [{sniHosts: [a.example.com]}]
    route:
    - destination: {host: a-v1}
      weight: 60
    - destination: {host: a-v2}
      weight: 40
  - match: [{sniHosts: [b.example.com]}]
    route:
    - destination: {host: b}`));
    expect(r.splits.map((s) => [s.route.index, s.route.conditional, percents(s)])).toEqual([[0, true, [60, 40]], [1, true, [100]]]);
    expect(codes(r.findings)).not.toContain('MS108');
  });

  it('a single route with a match is not reported as a mix', () => {
    const r = resolveYaml(vs('echo', 'default', `  hosts: [tcp-echo]
  tcp:
  - match: [{port: 31400}]
    route:
    - destination: {host: tcp-echo, subset: v1}
      weight: 80
    - destination: {host: tcp-echo, subset: v2}
      weight: 20`) + dr('echo', 'default', 'tcp-echo', '[{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]'));
    expect(codes(r.findings)).toEqual(['MS202']);
  });

  it('a match on uri prefix "/" takes every request', () => {
    const r = resolveYaml(vs('root', 'default', `  hosts: [web]
  http:
  - match: [{uri: {prefix: /}}]
    route:
    - destination: {host: web}
  - route:
    - destination: {host: never}`));
    expect(r.splits.map((s) => s.route.conditional)).toEqual([false]);
    expect(codes(r.findings)).toEqual(['MS108']);
  });

  it('a delegate is judged only through its root, never as a mesh VirtualService of its own', () => {
    const text = vs('root', 'bookinfo', `  hosts: [bookinfo.example.com]
  gateways: [istio-system/public-gw]
  http:
  - match: [{uri: {prefix: /reviews}}]
    delegate: {name: reviews-child, namespace: bookinfo}`) + vs('reviews-child', 'bookinfo', `  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 30
    - destination: {host: reviews, subset: v2}
      weight: 70`);
    const r = resolveYaml(text);
    expect(r.splits).toEqual([]);
    expect(r.findings.map((f) => [f.code, f.object])).toEqual([
      ['MS004', null],
      ['MS204', 'VirtualService bookinfo/root'],
      ['MS204', 'VirtualService bookinfo/reviews-child'],
    ]);
    // Without a root referring to it, a VirtualService without hosts is invalid.
    expect(codes(resolveYaml(vs('orphan', 'default', '  http:\n  - route:\n    - destination: {host: x}')).findings)).toEqual(['MS003']);
  });

  it('exportTo: VirtualServices for the same host in different namespaces do not conflict', () => {
    const exported = (name: string, namespace: string) =>
      vs(name, namespace, `  hosts: [ratings.shared.svc.cluster.local]
  exportTo: ["."]
  http:
  - route:
    - destination: {host: ratings.shared.svc.cluster.local}`);
    const r = resolveYaml(exported('ratings-a', 'team-a') + exported('ratings-b', 'team-b'));
    expect(r.splits.map((s) => s.virtualService.exportTo)).toEqual([['team-a'], ['team-b']]);
    expect(codes(r.findings)).toEqual([]);
    expect(codes(resolveYaml(exported('ratings-a', 'team-a') + exported('ratings-a2', 'team-a')).findings)).toEqual(['MS111', 'MS106']);
  });

  it('MS111: each VirtualService against the first earlier one it is visible together with, whatever their exportTo', () => {
    const namespaces = ['a', 'b', 'c', 'd'];
    const claimant = fc.record({ namespace: fc.constantFrom(...namespaces), exportTo: fc.option(fc.subarray([...namespaces, '.', '*'], { minLength: 1 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(claimant, { minLength: 1, maxLength: 7 }), (claimants) => {
        const text = claimants
          .map(({ namespace, exportTo }, index) =>
            vs(`v${index}`, namespace, `  hosts: [r.shared.svc.cluster.local]\n${exportTo ? `  exportTo: [${exportTo.map((entry) => `"${entry}"`).join(', ')}]\n` : ''}  http:\n  - route:\n    - destination: {host: r${index}.shared.svc.cluster.local}`),
          )
          .join('');
        const r = resolveYaml(text);
        // The rule, written out: exportTo as Istio reads it, then the first earlier claimant sharing a namespace.
        const seen = claimants.map(({ namespace, exportTo }) => (!exportTo || exportTo.includes('*') ? null : new Set(exportTo.map((entry) => (entry === '.' ? namespace : entry)))));
        const names = claimants.map(({ namespace }, index) => `${namespace}/v${index}`);
        // In input order: the first to claim a host is the one Istio keeps.
        const order = claimants.map((_, index) => index);
        const expected = order.flatMap((j, position) => {
          const owner = order.slice(0, position).find((i) => seen[i] === null || seen[j] === null || [...seen[i]!].some((namespace) => seen[j]!.has(namespace)));
          return owner === undefined ? [] : [`${names[j]}: VirtualService ${names[owner]} also claims`];
        });
        const got = r.findings.filter((f) => f.code === 'MS111').map((f) => `${f.object?.replace('VirtualService ', '')}: ${f.message.slice(0, f.message.indexOf(' host '))}`);
        expect(got.sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });

  /** Istio's rule, written out: `*.example.com` matches `a.example.com` (and deeper names), `*` everything. */
  const hostMatches = (pattern: string, host: string): boolean =>
    pattern === host || pattern === '*' || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));

  it('HostPatterns: the host itself, else the longest matching wildcard, the first of a pattern — as a scan finds them, long hosts too', () => {
    const label = fc.constantFrom('a', 'b', 'x', '', '*', 'y'.repeat(130));
    const name = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'));
    const pattern = fc.oneof(name, name.map((rest) => `*.${rest}`), fc.constant('*'), name.map((rest) => `*${rest}`));
    fc.assert(
      fc.property(name, fc.array(pattern, { maxLength: 8 }), (host, patterns) => {
        const index = new HostPatterns<number>();
        patterns.forEach((candidate, position) => index.add(candidate, position));
        // The scan it replaces: exact first (first of a pattern), then wildcards longest first, input order among equals.
        const exact = patterns.indexOf(host);
        const wildcards = patterns.map((candidate, position) => ({ candidate, position })).filter(({ candidate }) => candidate.startsWith('*'));
        const scanned = exact >= 0 ? exact : wildcards.sort((a, b) => b.candidate.length - a.candidate.length).find(({ candidate }) => hostMatches(candidate, host))?.position;
        expect(index.match(host)).toBe(scanned);
      }),
      { numRuns: 3000 },
    );
  });

  it('HostPatterns: long hosts of many labels against many wildcards, in time linear in the hosts', () => {
    // 2,000 hosts of ~5,000 characters (1,000 labels) against 20,000 wildcards: the scan of every
    // wildcard that long hosts used to get was 40 million suffix comparisons.
    const index = new HostPatterns<number>();
    for (let i = 0; i < 20_000; i++) index.add(`*.s${i}.example.com`, i);
    const labels = Array.from({ length: 1_000 }, (_, i) => `l${i % 10}xx`).join('.');
    for (let i = 0; i < 2_000; i++) {
      expect(index.match(`${labels}.s${i * 7}.example.com`)).toBe(i * 7);
      expect(index.match(`${labels}.s${i}.example.org`)).toBeUndefined();
    }
  });

  it('"./name" names a Gateway in the VirtualService\'s namespace', () => {
    const r = resolveYaml(vs('web', 'web', '  hosts: [web.example.com]\n  gateways: ["./web-gw"]\n  http:\n  - route:\n    - destination: {host: web}'));
    expect(r.splits[0]?.binding).toBe('web/web-gw');
  });

  it('a match shared through a YAML alias resolves its gateways in each VirtualService\'s own namespace', () => {
    const shared = (namespace: string, match: string) => `- apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: web, namespace: ${namespace}}
  spec:
    hosts: [web.example.com]
    gateways: [gw]
    http:
    - match:
      - ${match}
      route:
      - destination: {host: web}
`;
    const r = resolveYaml(`apiVersion: v1\nkind: List\nitems:\n${shared('one', '&m {gateways: [gw]}')}${shared('two', '*m')}`);
    expect(r.splits.map((split) => `${split.virtualService.namespace} ${split.binding}`)).toEqual(['one one/gw', 'two two/gw']);
  });

  describe('DestinationRule lookup: client namespace, then the Service\'s, then istio-system; no fall-through', () => {
    const route = vs('vs', 'frontend', `  hosts: [api.backend.svc.cluster.local]
  http:
  - route:
    - destination: {host: api.backend.svc.cluster.local, subset: v1}
      weight: 50
    - destination: {host: api.backend.svc.cluster.local, subset: v2}
      weight: 50`);
    const both = '[{name: v1, labels: {version: %1}}, {name: v2, labels: {version: %2}}]';
    const subsets = (a: string, b: string) => both.replace('%1', a).replace('%2', b);

    it('a wildcard rule in the client namespace beats an exact one in the Service namespace', () => {
      const r = resolveYaml(route + dr('wild', 'frontend', '"*.backend.svc.cluster.local"', subsets('v1-frontend', 'v2-frontend')) + dr('exact', 'backend', 'api', subsets('v1', 'v2')));
      expect(r.splits[0]?.destinations.map((d) => d.version)).toEqual(['v1-frontend', 'v2-frontend']);
    });
    it('a rule in an unrelated namespace is not used', () => {
      const r = resolveYaml(route + dr('elsewhere', 'team-x', 'api.backend.svc.cluster.local', subsets('v1', 'v2')));
      expect(codes(r.findings)).toEqual(['MS101', 'MS101']);
      expect(r.findings[0]?.message).toContain('no DestinationRule for api.backend.svc.cluster.local in namespace frontend, backend or istio-system');
    });
    it('names each namespace searched once', () => {
      const local = vs('vs', 'backend', '  hosts: [api]\n  http:\n  - route:\n    - destination: {host: api.backend.svc.cluster.local, subset: v1}');
      expect(resolveYaml(local).findings[0]?.message).toContain('in namespace backend or istio-system is in the input');
    });
    it('the chosen rule lacking a subset is MS101, even if another rule defines it', () => {
      const r = resolveYaml(route + dr('partial', 'frontend', 'api.backend.svc.cluster.local', '[{name: v1, labels: {version: v1}}]') + dr('full', 'backend', 'api', subsets('v1', 'v2')));
      expect(r.findings.map((f) => [f.code, f.message.includes('frontend/partial')])).toEqual([['MS101', true]]);
    });
    it('istio-system rules apply mesh-wide', () => {
      const r = resolveYaml(route + dr('root', 'istio-system', 'api.backend.svc.cluster.local', subsets('a', 'b')));
      expect(r.splits[0]?.destinations.map((d) => d.version)).toEqual(['a', 'b']);
    });
  });

  it('an HTTPRoute backend with weight 0 gets nothing, even alone', () => {
    const r = resolveYaml(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs: [{name: web, weight: 0}]`);
    expect(r.splits).toEqual([]);
    expect(codes(r.findings)).toEqual(['MS103']);
  });

  it('findings point at the line they are about: subset, host, annotation', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: other}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  annotations:
    mesh-split.io/tolerance: "lots"
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route:
    - destination:
        host: reviews
        subset: v9
      weight: 100
  - route:
    - destination:
        host: reviews
        subset: v1
`;
    const r = resolveYaml(text);
    expect(r.findings.map((f) => [f.code, f.line])).toEqual([
      ['MS112', lineOf(text, 'mesh-split.io/tolerance')],
      ['MS102', lineOf(text, 'host: reviews')],
      ['MS101', lineOf(text, 'subset: v9')],
      ['MS101', lineOf(text, 'subset: v1')],
      ['MS203', lineOf(text, 'apiVersion: networking')],
    ].sort((a, b) => (a[1] as number) - (b[1] as number)));
  });

  it('an alias to an anchor of an earlier document is a parse error (MS001), not a refusal', () => {
    const loaded = parseManifests('a: &x 1\n---\nb: *x\n', 'f.yaml');
    expect(loaded.findings.map((f) => [f.code, f.line])).toEqual([['MS001', 3]]);
  });
});
