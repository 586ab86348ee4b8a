import { oncePer } from '../memo.js';
import { finding, type Finding } from '../model/findings.js';
import type { DestinationRuleBody } from '../model/schemas.js';
import type { MeshIndex } from './mesh-index.js';
import { versionOf, VERSION_LABELS } from './versions.js';

export interface Place {
  object: string;
  file: string;
  line: number;
}

/**
 * The version the metrics will show for `host` + `subset`: the subset's version label, else the
 * version its Service's selector pins, else null ("any version"); `defined` is false when no
 * DestinationRule defines the subset. Problems become findings.
 */
const LISTED_SUBSETS = 10;

type Subset = NonNullable<DestinationRuleBody['spec']['subsets']>[number];

/** A DestinationRule's subsets by name (the first of a repeated name, as a search would find). */
const subsetsByName = oncePer((subsets: readonly Subset[]) => {
  const byName = new Map<string, Subset>();
  for (const candidate of subsets) if (!byName.has(candidate.name)) byName.set(candidate.name, candidate);
  return byName;
});

export function subsetVersion(
  host: string,
  subset: string,
  clientNamespace: string,
  index: MeshIndex,
  place: Place,
  findings: Finding[],
): { version: string | null; defined: boolean } {
  const rule = index.destinationRuleFor(host, clientNamespace);
  const defined = rule ? subsetsByName(rule.body.spec.subsets ?? []).get(subset) : undefined;
  if (rule && defined) {
    const version = versionOf(defined.labels) ?? index.serviceVersion(host);
    if (version === null) {
      findings.push(
        finding(
          'MS105',
          { object: `DestinationRule ${rule.object.namespace}/${rule.object.name}`, file: rule.object.file, line: rule.object.positions.lineOf(defined) ?? rule.object.line },
          `subset "${subset}" has no version label (${VERSION_LABELS.join(', ')}), so metrics cannot tell its traffic apart; add one`,
        ),
      );
    }
    return { version, defined: true };
  }
  // A few names say enough; all of thousands, in every finding, made gigabytes of output.
  const known = rule?.body.spec.subsets ?? [];
  const names = known.slice(0, LISTED_SUBSETS).map((candidate) => `"${candidate.name}"`).join(', ');
  const listed = known.length > LISTED_SUBSETS ? `${names} and ${known.length - LISTED_SUBSETS} more` : names;
  const where = rule
    ? `DestinationRule ${rule.object.namespace}/${rule.object.name}, the one Istio applies, defines ${known.length ? listed : 'no subsets'}`
    : `no DestinationRule for ${host} in ${namespacesSearched(clientNamespace, host)} is in the input`;
  findings.push(
    finding('MS101', place, `subset "${subset}" of host ${host} is not defined (${where}); add the subset to a DestinationRule or fix the name`),
  );
  return { version: null, defined: false };
}

/** Where Istio looks for a host's DestinationRule: the client's namespace, the host's, the root namespace. */
function namespacesSearched(clientNamespace: string, host: string): string {
  const names = [...new Set([clientNamespace, host.split('.')[1] ?? '?', 'istio-system'])];
  return names.length === 1 ? `namespace ${names[0]}` : `namespace ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
