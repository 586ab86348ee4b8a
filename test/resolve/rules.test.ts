import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codes, lineOf, percents, resolveYaml } from './helpers.js';

const vs = (name: string, spec: string, namespace = 'default') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
${spec}`;

const SERVICES = `apiVersion: v1
kind: Service
metadata: {name: app, namespace: default}
spec: {selector: {app: app}}
---
apiVersion: v1
kind: Service
metadata: {name: app-v1, namespace: default}
spec: {selector: {app: app, version: v1}}
---
apiVersion: v1
kind: Service
metadata: {name: app-v2, namespace: default}
spec: {selector: {app: app, version: v2}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: app, namespace: default}
spec:
  host: app
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: nolabel, labels: {track: canary}}
`;

const route = (...destinations: string[]) => `  hosts: [app]
  http:
  - route:
${destinations.join('\n')}`;
const dest = (host: string, weight?: number, subset?: string) =>
  `    - destination:\n        host: ${host}${subset ? `\n        subset: ${subset}` : ''}${weight === undefined ? '' : `\n      weight: ${weight}`}`;

describe('weights (Istio: relative, lone = 100 %, omitted among several = 0, all zero invalid)', () => {
  it('a lone destination gets 100 % whatever its weight', () => {
    for (const weight of [undefined, 0, 1, 30, 100]) {
      const r = resolveYaml(SERVICES + '---\n' + vs('one', route(dest('app', weight))));
      expect(percents(r.splits[0])).toEqual([100]);
      expect(codes(r.findings)).toEqual([]);
    }
  });

  it('an omitted weight among several is 0, with a warning on its line', () => {
    const text = SERVICES + '---\n' + vs('omit', route(dest('app-v1', 3), dest('app-v2')));
    const r = resolveYaml(text);
    expect(percents(r.splits[0])).toEqual([100, 0]);
    const warning = r.findings.find((f) => f.code === 'MS109');
    expect(warning).toMatchObject({ level: 'warning', line: lineOf(text, 'host: app-v2') - 1 });
  });

  it('weights not summing to 100 are normalised, with an info finding', () => {
    const r = resolveYaml(SERVICES + '---\n' + vs('thirds', route(dest('app-v1', 1), dest('app-v2', 2))));
    expect(percents(r.splits[0])[0]).toBeCloseTo(100 / 3, 12);
    expect(percents(r.splits[0])[1]).toBeCloseTo(200 / 3, 12);
    expect(r.findings.map((f) => [f.code, f.level])).toEqual([['MS201', 'info']]);
  });

  it('all weights zero is an error and the route is not resolved', () => {
    const text = SERVICES + '---\n' + vs('zero', route(dest('app-v1', 0), dest('app-v2', 0)));
    const r = resolveYaml(text);
    expect(r.splits).toEqual([]);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MS103', level: 'error', line: lineOf(text, '- route:') })]);
  });

  it('negative, fractional and string weights are schema errors on the weight line', () => {
    for (const bad of ['-5', '2.5', '"20"']) {
      const text = vs('bad', route(dest('app-v1', 1), dest('app-v2', 1)).replace('weight: 1', `weight: ${bad}`));
      const r = resolveYaml(text);
      expect(r.splits).toEqual([]);
      expect(r.findings[0]).toMatchObject({ code: 'MS003', level: 'error', line: lineOf(text, `weight: ${bad}`) });
      expect(r.findings[0]!.message).toContain('spec.http[0].route[0].weight');
    }
  });
});

describe('destinations → versions', () => {
  it('an undefined subset is MS101 on the subset line, with the subsets that exist', () => {
    const text = SERVICES + '---\n' + vs('sub', route(dest('app', 50, 'v1'), dest('app', 50, 'v3')));
    const r = resolveYaml(text);
    const error = r.findings.find((f) => f.code === 'MS101');
    expect(error).toMatchObject({ level: 'error', object: 'VirtualService default/sub', line: lineOf(text, 'subset: v3') });
    expect(error?.message).toContain('"v3"');
    expect(error?.message).toContain('"v1", "v2", "nolabel"');
  });

  it('MS101 names the first ten subsets the DestinationRule defines and counts the rest', () => {
    const subsets = Array.from({ length: 40 }, (_, index) => `  - {name: s${index}, labels: {version: s${index}}}`).join('\n');
    const rule = `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: app, namespace: default}\nspec:\n  host: app\n  subsets:\n${subsets}\n`;
    const r = resolveYaml(`${rule}---\n${vs('many', route(dest('app', 50, 's39'), dest('app', 50, 'zz')))}`);
    expect(r.splits[0]?.destinations.map((d) => d.version)).toEqual(['s39', null]);
    const message = r.findings.find((f) => f.code === 'MS101')?.message;
    expect(message).toContain(`defines ${Array.from({ length: 10 }, (_, index) => `"s${index}"`).join(', ')} and 30 more)`);
  });

  it('an object with too many wrong fields for zod to list is one MS003, not a crash', () => {
    const text = JSON.stringify({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' }, spec: { hosts: new Array(200_000).fill(0) } });
    const r = resolveYaml(text);
    expect(r.findings.map((f) => [f.code, f.line])).toEqual([['MS003', 1]]);
    expect(r.findings[0]?.message).toContain('too many invalid fields to list');
  });

  it('what Istio\'s admission webhook refuses is MS003 at its line, and the VirtualService routes nothing', () => {
    const cases: [string, string, string][] = [
      // The webhook's words: "HTTP route, redirect or direct_response is required".
      ['  hosts: [app]\n  http:\n  - match: [{uri: {prefix: /a}}]\n    corsPolicy: {allowOrigins: [{exact: x}]}\n  - route:\n    - destination: {host: app}', '- match:', 'http[0] has no route, redirect, directResponse or delegate'],
      // "TLS route must have at least one match condition".
      ['  hosts: [app]\n  tls:\n  - route:\n    - destination: {host: app}', '- route:', 'tls[0] has no match (a TLS route needs at least one, with sniHosts)'],
      // "TLS match must have at least one SNI host".
      ['  hosts: [app]\n  tls:\n  - match: [{port: 443}]\n    route:\n    - destination: {host: app}', '- match:', 'tls[0] match[0] has no sniHosts'],
      // "TCP route is required" (it was taken for a catch-all, so tcp[1] was "never used").
      ['  hosts: [app]\n  tcp:\n  - match: [{port: 5432}]\n  - route:\n    - destination: {host: app}', '- match:', 'tcp[0] has no route'],
      // "duplicate hosts in virtual service".
      ['  hosts:\n  - app\n  - app\n  http:\n  - route:\n    - destination: {host: app}', '- app', 'host app is listed twice'],
      // "http, tcp or tls must be provided in virtual service".
      ['  hosts: [app]', 'hosts: [app]', 'no http, tcp or tls routes'],
    ];
    for (const [spec, where, message] of cases) {
      const text = SERVICES + '---\n' + vs('rejected', spec);
      const r = resolveYaml(text);
      expect(r.splits).toEqual([]);
      // Its last occurrence: the second `- app`; the spec mapping's line is its first key's.
      const occurrence = text.split('\n').filter((line) => line.includes(where)).length;
      expect(r.findings.filter((f) => f.code !== 'MS004').map((f) => [f.code, f.line, f.message])).toEqual([['MS003', lineOf(text, where, occurrence), `${message}; Istio rejects this VirtualService, so it routes nothing`]]);
    }
    // A redirect or a direct response is an action, even though mesh-split does not follow it.
    const redirect = resolveYaml(SERVICES + '---\n' + vs('ok', '  hosts: [app]\n  http:\n  - match: [{uri: {prefix: /old}}]\n    redirect: {uri: /new}\n  - directResponse: {status: 503}'));
    expect(codes(redirect.findings).filter((code) => code === 'MS003')).toEqual([]);
  });

  it('a subset without a DestinationRule at all is MS101 too', () => {
    const r = resolveYaml(vs('nodr', route(dest('other', 50, 'v1'), dest('other', 50, 'v2'))));
    expect(codes(r.findings)).toEqual(['MS101', 'MS101']);
  });

  it('a subset without a version label warns and resolves to "any version"', () => {
    const r = resolveYaml(SERVICES + '---\n' + vs('nl', route(dest('app', 50, 'v1'), dest('app', 50, 'nolabel'))));
    expect(r.splits[0]?.destinations.map((d) => d.version)).toEqual(['v1', null]);
    expect(codes(r.findings)).toContain('MS105');
    expect(codes(r.findings)).toContain('MS110');
  });

  it('MS110: each destination that looks like an earlier one in metrics, once, against the first such', () => {
    const choices: [string, string | undefined][] = [['app', 'v1'], ['app', 'v2'], ['app', 'nolabel'], ['app', undefined], ['app-v1', undefined], ['app-v2', undefined]];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...choices), { minLength: 1, maxLength: 8 }), (picked) => {
        const r = resolveYaml(SERVICES + '---\n' + vs('many', route(...picked.map(([host, subset]) => dest(host, 10, subset)))));
        const destinations = r.splits[0]!.destinations;
        const name = (d: (typeof destinations)[number]) => (d.subset ? `subset "${d.subset}"` : d.host);
        const expected = destinations.flatMap((b, j) => {
          const a = destinations.slice(0, j).find((d) => d.host === b.host && (d.version === null || b.version === null || d.version === b.version));
          return a ? [[b.line, `destinations ${name(a)} and ${name(b)} look the same in metrics (${a.host}, version ${b.version ?? a.version ?? 'any'}); give each subset its own version label`]] : [];
        });
        expect(r.findings.filter((f) => f.code === 'MS110').map((f) => [f.line, f.message])).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('a Service whose selector pins no version is "any version"', () => {
    const r = resolveYaml(SERVICES + '---\n' + vs('any', route(dest('app'))));
    expect(r.splits[0]?.destinations[0]).toMatchObject({ host: 'app.default.svc.cluster.local', version: null, subset: null });
  });

  it('version label precedence: version, then app.kubernetes.io/version, then canonical revision', () => {
    const text = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: app}
spec:
  host: app
  subsets:
  - {name: a, labels: {version: va, app.kubernetes.io/version: other}}
  - {name: b, labels: {app.kubernetes.io/version: vb, service.istio.io/canonical-revision: other}}
  - {name: c, labels: {service.istio.io/canonical-revision: vc}}
---
${vs('prec', route(dest('app', 1, 'a'), dest('app', 1, 'b'), dest('app', 1, 'c')))}`;
    expect(resolveYaml(text).splits[0]?.destinations.map((d) => d.version)).toEqual(['va', 'vb', 'vc']);
  });
});

describe('host names', () => {
  it('short names expand to the object\'s namespace; dotted names are taken as written', () => {
    const r = resolveYaml(vs('hosts', route(dest('app', 1), dest('app.other', 1), dest('app.other.svc.cluster.local', 1)), 'shop'));
    expect(r.splits[0]?.destinations.map((d) => d.host)).toEqual([
      'app.shop.svc.cluster.local',
      'app.other',
      'app.other.svc.cluster.local',
    ]);
    expect(r.splits[0]?.virtualService.hosts).toEqual(['app.shop.svc.cluster.local']);
  });

  it('"helloworld.default" matches no Service and the finding says Istio does not expand it', () => {
    const text = SERVICES + '---\n' + vs('dotted', route(dest('app.default', 1), dest('app-v2', 1)));
    const r = resolveYaml(text);
    const warning = r.findings.find((f) => f.code === 'MS102');
    expect(warning).toMatchObject({ level: 'warning', line: lineOf(text, 'host: app.default') });
    expect(warning?.message).toContain('Istio does not expand "app.default"');
    expect(warning?.message).toContain('app.default.svc.cluster.local');
  });

  it('unknown hosts are only reported when Services were given; ServiceEntry hosts are known', () => {
    expect(codes(resolveYaml(vs('x', route(dest('nowhere')))).findings)).toEqual([]);
    const entry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext}
spec: {hosts: ["*.example.com"]}
---
`;
    const long = `${'a'.repeat(300)}.example.com`;
    const r = resolveYaml(SERVICES + '---\n' + entry + vs('x', route(dest('api.example.com', 1), dest('nowhere', 1), dest(long, 1), dest(`${long}.org`, 1))));
    // A host longer than a DNS name is matched too.
    expect(r.findings.filter((f) => f.code === 'MS102').map((f) => f.message)).toEqual([
      expect.stringContaining('nowhere.default.svc.cluster.local'),
      expect.stringContaining(`${long}.org`),
    ]);
  });

  it('wildcard host on a mesh-bound VirtualService is Istio\'s admission error', () => {
    const text = vs('wild', `  hosts: ["*"]\n  http:\n  - route:\n    - destination: {host: app}`);
    const r = resolveYaml(text);
    expect(r.splits).toEqual([]);
    expect(r.findings).toEqual([
      expect.objectContaining({ code: 'MS104', level: 'error', line: lineOf(text, 'hosts:') }),
    ]);
    expect(r.findings[0]!.message).toContain('wildcard host * is not allowed for virtual services bound to the mesh gateway');
  });
});

describe('bindings', () => {
  const gateway = (name: string, namespace: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${namespace}}
spec: {selector: {istio: ingressgateway}}
---
`;
  it('gateways omitted means mesh; names resolve as ns/name, bare (VS namespace) or legacy FQDN; mesh may be listed too', () => {
    const text = gateway('gw', 'istio-system') + gateway('local', 'shop') + vs(
      'b',
      `  hosts: [app.example.com]\n  gateways: [mesh, istio-system/gw, local, gw.istio-system.svc.cluster.local]\n  http:\n  - route:\n    - destination: {host: app}`,
      'shop',
    );
    const r = resolveYaml(text);
    expect(r.splits.map((s) => s.binding)).toEqual(['mesh', 'istio-system/gw', 'shop/local']);
    expect(codes(r.findings)).toEqual([]);
  });

  it('a referenced Gateway missing from the input is MS107 (when Gateways were given)', () => {
    const text = gateway('gw', 'istio-system') + vs('m', `  hosts: [a.example.com]\n  gateways: [istio-system/nope]\n  http:\n  - route:\n    - destination: {host: app}`);
    const r = resolveYaml(text);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'MS107', line: lineOf(text, 'gateways:') })]);
    expect(codes(resolveYaml(vs('m', `  hosts: [a.example.com]\n  gateways: [istio-system/nope]\n  http:\n  - route:\n    - destination: {host: app}`)).findings)).toEqual([]);
  });

  it('match.gateways restricts a route to those bindings', () => {
    const text = vs(
      'mg',
      `  hosts: [app]
  gateways: [mesh, istio-system/gw]
  http:
  - match:
    - gateways: [istio-system/gw]
    route:
    - destination: {host: app, subset: canary}
  - route:
    - destination: {host: app, subset: stable}`,
    );
    const r = resolveYaml(text);
    const summary = r.splits.map((s) => [s.binding, s.route.index, s.route.conditional]);
    expect(summary).toEqual([
      ['mesh', 1, false],
      ['istio-system/gw', 0, false],
    ]);
    // For the gateway, http[0] takes every request, so http[1] is unreachable there.
    expect(r.findings.find((f) => f.code === 'MS108')?.message).toContain('istio-system/gw');
  });

  it('two mesh-bound VirtualServices sending to the same Service are flagged', () => {
    const r = resolveYaml(vs('one', route(dest('app'))) + '\n---\n' + vs('two', `  hosts: [other]\n  http:\n  - route:\n    - destination: {host: app}`));
    expect(r.findings.map((f) => [f.code, f.object])).toEqual([['MS106', 'VirtualService default/two']]);
  });
});

describe('routes', () => {
  it('conditional routes are flagged; later routes after a catch-all are unreachable', () => {
    const text = vs(
      'cond',
      `  hosts: [app]
  http:
  - name: jason
    match:
    - headers: {end-user: {exact: jason}}
    route:
    - destination: {host: app-v2}
  - name: default
    route:
    - destination: {host: app-v1}
  - name: dead
    route:
    - destination: {host: app-v2}`,
    );
    const r = resolveYaml(text);
    expect(r.splits.map((s) => [s.route.name, s.route.conditional])).toEqual([
      ['jason', true],
      ['default', false],
    ]);
    expect(r.findings.map((f) => [f.code, f.line])).toEqual([
      ['MS203', 1],
      ['MS108', lineOf(text, '- name: dead')],
    ]);
  });

  it('a route lost after a catch-all is reported once, for the first binding it is lost to, however many gateways', () => {
    const gateways = Array.from({ length: 6_000 }, (_, index) => `gw${index}`);
    const routes = Array.from({ length: 6_000 }, (_, index) => `  - route: [{destination: {host: app-v${1 + (index % 2)}}}]`);
    const text = vs('many', `  hosts: [app.example.com]\n  gateways: [${gateways.join(', ')}]\n  http:\n  - match: [{uri: {prefix: /child}}]\n    delegate: {name: child}\n${routes.join('\n')}`);
    // 6,000 × 6,000 (binding, route) pairs built a message each: beyond the test's timeout.
    const r = resolveYaml(text);
    const lost = r.findings.filter((f) => f.code === 'MS108');
    expect(lost).toHaveLength(5_999);
    expect(lost[0]?.message).toBe('http[2] is never used for default/gw0 traffic: http[1] before it takes every request; remove or reorder it');
    // The delegating route is said once, not once per binding.
    expect(codes(r.findings).filter((code) => code === 'MS204')).toHaveLength(1);
    expect(r.splits).toHaveLength(6_000);
  });

  it('mirrors are not part of the split', () => {
    const text = vs('mirror', `  hosts: [app]\n  http:\n  - route:\n    - destination: {host: app-v1}\n      weight: 100\n    mirror: {host: app-v2}\n    mirrorPercentage: {value: 50}`);
    const r = resolveYaml(text);
    expect(r.splits[0]?.destinations.map((d) => d.host)).toEqual(['app-v1.default.svc.cluster.local']);
  });

  it('TCP and TLS routes are resolved, with a per-connection note', () => {
    const text = vs(
      'db',
      `  hosts: [db]
  tcp:
  - match: [{port: 5432}]
    route:
    - destination: {host: db, subset: v1}
      weight: 90
    - destination: {host: db, subset: v2}
      weight: 10
  tls:
  - match: [{sniHosts: [db.example.com]}]
    route:
    - destination: {host: db-tls}`,
    ) + `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: db}
spec:
  host: db.default.svc.cluster.local
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]`;
    const r = resolveYaml(text);
    expect(r.splits.map((s) => [s.route.protocol, s.route.conditional, percents(s)])).toEqual([
      ['tcp', true, [90, 10]],
      ['tls', true, [100]],
    ]);
    // One route per protocol: nothing is mixed, so no MS203.
    expect(codes(r.findings)).toEqual(['MS202']);
  });

  it('redirects and direct responses have no split and are not reported as routes', () => {
    const text = vs('redir', `  hosts: [app]\n  http:\n  - match: [{uri: {prefix: /old}}]\n    redirect: {uri: /new}\n  - route:\n    - destination: {host: app}`);
    expect(resolveYaml(text).splits.map((s) => s.route.index)).toEqual([1]);
  });
});

describe('Gateway API HTTPRoute', () => {
  const httpRoute = (spec: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
${spec}`;

  it('backendRefs weights default to 1; parent Gateway and parent Service (mesh) bindings', () => {
    const text = httpRoute(`  parentRefs:
  - name: public
    namespace: infra
  - group: ""
    kind: Service
    name: web
  rules:
  - backendRefs:
    - name: web-v1
      port: 80
    - name: web-v2
      port: 80
      weight: 3`);
    const r = resolveYaml(text);
    expect(r.splits.map((s) => [s.virtualService.kind, s.binding, percents(s)])).toEqual([
      ['HTTPRoute', 'mesh', [25, 75]],
      ['HTTPRoute', 'infra/public', [25, 75]],
    ]);
    expect(r.splits[0]?.destinations.map((d) => [d.host, d.weight, d.line])).toEqual([
      ['web-v1.shop.svc.cluster.local', 1, lineOf(text, '- name: web-v1')],
      ['web-v2.shop.svc.cluster.local', 3, lineOf(text, 'weight: 3')],
    ]);
  });

  it('rules with matches are conditional; PathPrefix / alone is not; all-zero weights are an error', () => {
    const text = httpRoute(`  parentRefs: [{name: gw}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api}]
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: web}]
  - backendRefs: [{name: a, weight: 0}, {name: b, weight: 0}]`);
    const r = resolveYaml(text);
    expect(r.splits.map((s) => [s.route.index, s.route.conditional])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(codes(r.findings)).toEqual(['MS103']);
  });
});

describe('input without anything to compare', () => {
  it('is an error (exit 65 in the CLI)', () => {
    const r = resolveYaml('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n');
    expect(r.findings.map((f) => [f.code, f.level])).toEqual([['MS004', 'error']]);
  });
});
