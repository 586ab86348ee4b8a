import { finding, type Finding } from '../model/findings.js';
import type { ManifestObject } from '../model/manifest.js';
import {
  destinationRuleSchema,
  gatewaySchema,
  serviceEntrySchema,
  serviceSchema,
  type DestinationRuleBody,
} from '../model/schemas.js';
import type { GatewayInfo } from '../model/split.js';
import { expandHost, HostPatterns, serviceFqdn } from './hosts.js';
import { validate } from './validate.js';
import { versionOf } from './versions.js';

export interface IndexedDestinationRule {
  object: ManifestObject;
  host: string;
  body: DestinationRuleBody;
}

/** What the resolver looks up while following destinations: Services, subsets, gateways. */
export class MeshIndex {
  readonly services = new Map<string, { object: ManifestObject; selector: Record<string, string> }>();
  /** ServiceEntry hosts: names and patterns (`*.example.com`, `*`), for `isKnownHost`. */
  private readonly externalHosts = new HostPatterns<true>();
  readonly gateways = new Map<string, GatewayInfo>();
  gatewaysGiven = false;
  /** `namespace/name` of every delegate VirtualService → the VirtualService delegating to it. */
  private readonly delegates = new Map<string, string>();
  private readonly rulesByNamespace: Map<string, HostPatterns<IndexedDestinationRule>>;

  constructor(objects: readonly ManifestObject[], findings: Finding[]) {
    const destinationRules: IndexedDestinationRule[] = [];
    for (const object of objects) {
      switch (object.kind) {
        case 'Service': {
          const body = validate(object, serviceSchema, findings);
          if (body) this.services.set(serviceFqdn(object.name, object.namespace), { object, selector: body.spec?.selector ?? {} });
          break;
        }
        case 'ServiceEntry': {
          const body = validate(object, serviceEntrySchema, findings);
          for (const host of body?.spec?.hosts ?? []) this.externalHosts.add(expandHost(host, object.namespace), true);
          break;
        }
        case 'DestinationRule': {
          const body = validate(object, destinationRuleSchema, findings);
          if (body) destinationRules.push({ object, host: expandHost(body.spec.host, object.namespace), body });
          break;
        }
        case 'VirtualService':
          this.noteDelegates(object);
          break;
        case 'Gateway': {
          this.gatewaysGiven = true;
          const body = validate(object, gatewaySchema, findings);
          if (body) {
            this.gateways.set(`${object.namespace}/${object.name}`, {
              namespace: object.namespace,
              name: object.name,
              selector: body.spec?.selector ?? {},
              file: object.file,
              line: object.line,
            });
          }
          break;
        }
        default:
          break;
      }
    }
    this.rulesByNamespace = indexRules(destinationRules);
  }

  private noteDelegates(object: ManifestObject): void {
    const http = (object.body.spec as { http?: unknown } | undefined)?.http;
    if (!Array.isArray(http)) return;
    for (const route of http) {
      const delegate = (route as { delegate?: { name?: unknown; namespace?: unknown } } | null)?.delegate;
      if (typeof delegate?.name !== 'string') continue;
      const namespace = typeof delegate.namespace === 'string' && delegate.namespace !== '' ? delegate.namespace : object.namespace;
      this.delegates.set(`${namespace}/${delegate.name}`, `VirtualService ${object.namespace}/${object.name}`);
    }
  }

  /** The root VirtualService when this one is a delegate, else undefined. */
  delegatedBy(namespace: string, name: string): string | undefined {
    return this.delegates.get(`${namespace}/${name}`);
  }

  get servicesGiven(): boolean {
    return this.services.size > 0;
  }

  /** The version a Service's selector pins (the seed's `helloworld-v1`), if any. */
  serviceVersion(host: string): string | null {
    return versionOf(this.services.get(host)?.selector);
  }

  isKnownHost(host: string): boolean {
    return this.services.has(host) || this.externalHosts.match(host) !== undefined;
  }

  /**
   * The DestinationRule Istio applies to `host` for clients in `clientNamespace`: the client's
   * namespace first, then the Service's, then the root namespace (istio-system) — in each, an
   * exact host before the longest wildcard. Rules elsewhere are never used, and Istio does not
   * fall through to the next rule when the chosen one lacks a subset.
   */
  destinationRuleFor(host: string, clientNamespace: string): IndexedDestinationRule | undefined {
    const serviceNamespace = host.split('.')[1] ?? '';
    for (const namespace of [clientNamespace, serviceNamespace, ROOT_NAMESPACE]) {
      const chosen = this.rulesByNamespace.get(namespace)?.match(host);
      if (chosen) return chosen;
    }
    return undefined;
  }
}

/**
 * DestinationRules by namespace and host pattern, built once: every destination would
 * otherwise scan every rule (quadratic at 2,000 rules). The first rule for a host wins, as in
 * input order.
 */
function indexRules(destinationRules: readonly IndexedDestinationRule[]): Map<string, HostPatterns<IndexedDestinationRule>> {
  const byNamespace = new Map<string, HostPatterns<IndexedDestinationRule>>();
  for (const rule of destinationRules) {
    let rules = byNamespace.get(rule.object.namespace);
    if (!rules) byNamespace.set(rule.object.namespace, (rules = new HostPatterns()));
    rules.add(rule.host, rule);
  }
  return byNamespace;
}

/** Istio's default root (config) namespace, whose rules apply mesh-wide. */
export const ROOT_NAMESPACE = 'istio-system';

export function unknownHostFinding(
  host: string,
  written: string,
  place: { object: string; file: string; line: number },
  index: MeshIndex,
): Finding {
  const dots = written.split('.').length - 1;
  const expanded = `${written}.svc.cluster.local`;
  const hint =
    dots === 1 && index.services.has(expanded)
      ? `Istio does not expand "${written}" (it has a dot); write "${expanded}" or the short name`
      : 'fix the host, or add the Service (or ServiceEntry) to the input';
  return finding('MS102', place, `host "${host}" matches no Service in the input; ${hint}`);
}
