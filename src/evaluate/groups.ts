import type { Binding, DeclaredDestination, DeclaredSplit, Protocol, SplitSource } from '../model/split.js';

/**
 * What is compared as one: a route, or — when an object has several reachable routes for the
 * same binding and protocol (match conditions) — all of them together, since metrics cannot
 * tell which route a request took.
 */
export interface CompareGroup {
  source: SplitSource;
  binding: Binding;
  protocol: Protocol;
  routes: DeclaredSplit[];
  /** Union of the routes' destinations, distinct by (host, version, subset). */
  destinations: DeclaredDestination[];
  /** Each route's declared percents over `destinations` (0 where the route does not send). */
  routeSplits: number[][];
}

function destinationKey(destination: DeclaredDestination): string {
  return `${destination.host}|${destination.version ?? '*'}|${destination.subset ?? ''}`;
}

export function groupSplits(splits: readonly DeclaredSplit[]): CompareGroup[] {
  const groups = new Map<string, DeclaredSplit[]>();
  for (const split of splits) {
    const source = split.virtualService;
    const key = `${source.kind}/${source.namespace}/${source.name}|${split.binding}|${split.route.protocol}`;
    const members = groups.get(key);
    if (members) members.push(split);
    else groups.set(key, [split]);
  }
  return [...groups.values()].map((routes) => {
    const first = routes[0]!;
    const destinations: DeclaredDestination[] = [];
    const position = new Map<string, number>();
    for (const route of routes) {
      for (const destination of route.destinations) {
        const key = destinationKey(destination);
        if (!position.has(key)) {
          position.set(key, destinations.length);
          destinations.push(destination);
        }
      }
    }
    const routeSplits = routes.map((route) => {
      const percents = destinations.map(() => 0);
      for (const destination of route.destinations) {
        const index = position.get(destinationKey(destination))!;
        percents[index] = (percents[index] ?? 0) + destination.declaredPercent;
      }
      return percents;
    });
    return { source: first.virtualService, binding: first.binding, protocol: first.route.protocol, routes, destinations, routeSplits };
  });
}
