import type { DestinationResult, RouteResult } from '../model/check.js';
import { judgeMix, judgeSplit, type SplitVerdict } from '../verdict/index.js';
import type { VersionTotal } from './attribution.js';
import type { CompareGroup } from './groups.js';

export interface EffectiveSettings {
  tolerance: number;
  minRequests: number;
  confidence: number;
}

/**
 * Counts per declared destination, plus undeclared versions of the same Services. A version's
 * traffic goes to the destination with its exact version first, else to an "any version"
 * destination of that Service; otherwise it is undeclared traffic (declared 0 %).
 */
export function countTraffic(group: CompareGroup, traffic: readonly VersionTotal[]) {
  const hosts = new Set(group.destinations.map((destination) => destination.host));
  const counts = group.destinations.map(() => 0);
  const undeclared = new Map<string, { host: string; version: string; count: number }>();
  for (const item of traffic) {
    if (!hosts.has(item.host)) continue;
    let index = group.destinations.findIndex((d) => d.host === item.host && d.version === item.version);
    if (index < 0) index = group.destinations.findIndex((d) => d.host === item.host && d.version === null);
    if (index >= 0) {
      counts[index] = (counts[index] ?? 0) + item.value;
      continue;
    }
    const key = `${item.host}|${item.version}`;
    const entry = undeclared.get(key) ?? { host: item.host, version: item.version, count: 0 };
    entry.count += item.value;
    undeclared.set(key, entry);
  }
  return { counts, undeclared: [...undeclared.values()].sort((a, b) => a.host.localeCompare(b.host) || a.version.localeCompare(b.version)) };
}

function destinationName(host: string, version: string | null, subset: string | null): string {
  const service = host.split('.')[0] ?? host;
  return version ? `${service}/${version}` : subset ? `${service}/${subset}` : service;
}

function evenMix(routeSplits: readonly number[][]): number[] {
  const width = routeSplits[0]?.length ?? 0;
  return Array.from({ length: width }, (_, d) => routeSplits.reduce((sum, split) => sum + (split[d] ?? 0), 0) / routeSplits.length);
}

/** Judges one group against the traffic attributed to its binding. */
export function compareGroup(
  group: CompareGroup,
  traffic: readonly VersionTotal[],
  settings: EffectiveSettings,
): RouteResult {
  const { counts, undeclared } = countTraffic(group, traffic);
  const allCounts = [...counts, ...undeclared.map((entry) => entry.count)];
  const zeros = undeclared.map(() => 0);
  const names = [
    ...group.destinations.map((d) => destinationName(d.host, d.version, d.subset)),
    ...undeclared.map((entry) => `${destinationName(entry.host, entry.version, null)} (undeclared)`),
  ];
  const common = {
    counts: allCounts,
    tolerancePoints: settings.tolerance,
    confidence: settings.confidence,
    minRequests: settings.minRequests,
    destinationNames: names,
  };
  const conditional = group.routes.length > 1;
  let verdict: SplitVerdict;
  let declared: number[];
  let alpha: number[] | null = null;
  if (conditional) {
    const mixed = judgeMix({ ...common, routeSplits: group.routeSplits.map((split) => [...split, ...zeros]) });
    verdict = mixed;
    alpha = mixed.alpha;
    // Without traffic there is nothing to fit: show the even mix of the routes.
    declared = mixed.fittedPercent ?? [...evenMix(group.routeSplits), ...zeros];
  } else {
    declared = [...(group.routeSplits[0] ?? []), ...zeros];
    verdict = judgeSplit({ ...common, declaredPercent: declared });
  }

  const destinations: DestinationResult[] = verdict.destinations.map((judged, index) => {
    const declaredDestination = group.destinations[index];
    const extra = undeclared[index - group.destinations.length];
    return {
      host: declaredDestination?.host ?? extra?.host ?? '',
      subset: declaredDestination?.subset ?? null,
      version: declaredDestination ? declaredDestination.version : (extra?.version ?? null),
      declaredPercent: declared[index] ?? 0,
      actualPercent: judged.actualPercent,
      deltaPoints: judged.deltaPoints,
      requests: allCounts[index] ?? 0,
      interval: judged.interval,
      status: judged.status,
      line: declaredDestination?.line ?? null,
      undeclared: declaredDestination === undefined,
    };
  });
  const first = group.routes[0]!;
  return {
    virtualService: group.source,
    binding: group.binding,
    route: { ...first.route, conditional: conditional || first.route.conditional },
    status: verdict.status,
    requests: verdict.requests,
    requestsNeeded: verdict.requestsNeeded,
    destinations,
    message: verdict.message,
    mix: conditional
      ? group.routes.map((route, r) => ({ index: route.route.index, name: route.route.name, alpha: alpha?.[r] ?? null }))
      : null,
    tolerance: settings.tolerance,
    minRequests: settings.minRequests,
    unit: group.protocol === 'http' ? 'requests' : 'connections',
  };
}
