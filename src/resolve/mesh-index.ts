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
import { expandHost, hostMatches, serviceFqdn } from './hosts.js';
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
  readonly externalHosts: string[] = [];
  readonly destinationRules: IndexedDestinationRule[] = [];
  readonly gateways = new Map<string, GatewayInfo>();
  gatewaysGiven = false;

  constructor(objects: readonly ManifestObject[], findings: Finding[]) {
    for (const object of objects) {
      switch (object.kind) {
        case 'Service': {
          const body = validate(object, serviceSchema, findings);
          if (body) this.services.set(serviceFqdn(object.name, object.namespace), { object, selector: body.spec?.selector ?? {} });
          break;
        }
        case 'ServiceEntry': {
          const body = validate(object, serviceEntrySchema, findings);
          for (const host of body?.spec?.hosts ?? []) this.externalHosts.push(expandHost(host, object.namespace));
          break;
        }
        case 'DestinationRule': {
          const body = validate(object, destinationRuleSchema, findings);
          if (body) this.destinationRules.push({ object, host: expandHost(body.spec.host, object.namespace), body });
          break;
        }
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
  }

  get servicesGiven(): boolean {
    return this.services.size > 0;
  }

  /** The version a Service's selector pins (the seed's `helloworld-v1`), if any. */
  serviceVersion(host: string): string | null {
    return versionOf(this.services.get(host)?.selector);
  }

  isKnownHost(host: string): boolean {
    return this.services.has(host) || this.externalHosts.some((pattern) => hostMatches(pattern, host));
  }

  /**
   * DestinationRules for `host`, most specific first: exact hosts before wildcards, then the
   * client's namespace, then the Service's, then any other (Istio's lookup order).
   */
  destinationRulesFor(host: string, clientNamespace: string): IndexedDestinationRule[] {
    const serviceNamespace = host.split('.')[1];
    const rank = (rule: IndexedDestinationRule): number =>
      (rule.host === host ? 0 : 3) +
      (rule.object.namespace === clientNamespace ? 0 : rule.object.namespace === serviceNamespace ? 1 : 2);
    return this.destinationRules
      .filter((rule) => hostMatches(rule.host, host))
      .sort((a, b) => rank(a) - rank(b));
  }
}

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
