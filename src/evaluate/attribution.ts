import { MESH, type Binding, type GatewayInfo } from '../model/split.js';
import type { InstantSample, Labels } from '../prometheus/parse.js';

/** One series of the query result, in the domain's words. */
export interface ObservedSeries {
  sourceWorkload: string;
  sourceNamespace: string;
  host: string;
  /** The version label's value; Istio writes `unknown` when the pod has none. */
  version: string;
  value: number;
}

/** Requests (or connections) to one version of one host: what a group's counts are made of. */
export interface VersionTotal {
  host: string;
  version: string;
  value: number;
}

/** A sample that counts: NaN, ±Inf and negative values (no count of requests can be one) do not. */
export function countable(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/**
 * Whether counts can be added up: each is finite, but two near the largest double sum to
 * Infinity, and judging adds them by host, version and route. The total bounds every such sum
 * (the counts are non-negative), so it is the one to check.
 */
export function summable(series: readonly { value: number }[]): boolean {
  let total = 0;
  for (const { value } of series) total += value;
  return Number.isFinite(total);
}

export function observedSeries(labels: Labels, value: number, versionLabel: string): ObservedSeries {
  return {
    sourceWorkload: labels.source_workload ?? 'unknown',
    sourceNamespace: labels.source_workload_namespace ?? 'unknown',
    host: labels.destination_service ?? '',
    // Own labels only: a label named like a property of every object (`constructor`) is not one.
    version: (Object.hasOwn(labels, versionLabel) && labels[versionLabel]) || 'unknown',
    value,
  };
}

export function toObservedSeries(samples: readonly InstantSample[], versionLabel: string): ObservedSeries[] {
  const series: ObservedSeries[] = [];
  for (const sample of samples) {
    if (countable(sample.value)) series.push(observedSeries(sample.labels, sample.value, versionLabel));
  }
  return series;
}

/** The proxy workload that carries a gateway's traffic; namespace null means "any". */
export interface GatewayWorkload {
  workload: string;
  namespace: string | null;
}

/** Gateway proxies never apply mesh-bound VirtualServices, so their traffic is never mesh traffic. */
const WELL_KNOWN_GATEWAYS: ReadonlySet<string> = new Set(['istio-ingressgateway', 'istio-egressgateway']);

/**
 * A Gateway's workload from its selector, as Istio's installers name them. Both label a gateway's
 * pods `app: <workload>`, so `app` is read first; `istio` only drops the `istio-` prefix: the
 * istio/gateway Helm chart installs `my-gw` with `istio: my-gw, app: my-gw`, the classic
 * installers `istio-ingressgateway` with `istio: ingressgateway, app: istio-ingressgateway`.
 * `istio: ingressgateway` alone reads as `istio-ingressgateway`.
 */
export function workloadFromSelector(selector: Record<string, string>): string | null {
  if (selector.app) return selector.app;
  if (selector.istio) return selector.istio.startsWith('istio-') ? selector.istio : `istio-${selector.istio}`;
  return selector['app.kubernetes.io/name'] ?? null;
}

/** `--gateway-workload NS/GATEWAY=WORKLOAD` where WORKLOAD is `name` or `namespace/name`. */
export function parseWorkload(text: string): GatewayWorkload {
  const slash = text.indexOf('/');
  return slash < 0 ? { workload: text, namespace: null } : { workload: text.slice(slash + 1), namespace: text.slice(0, slash) };
}

/**
 * The workload of every gateway binding: an override, else the Istio Gateway's selector, else
 * (a Gateway API gateway, which Istio deploys as `NAME-istio`) that name, else the default
 * ingress gateway.
 */
export function gatewayWorkloads(
  bindings: Iterable<Binding>,
  gateways: readonly GatewayInfo[],
  overrides: ReadonlyMap<string, string>,
  gatewayApiBindings: ReadonlySet<Binding>,
): Map<Binding, GatewayWorkload> {
  const byBinding = new Map(gateways.map((gateway) => [`${gateway.namespace}/${gateway.name}`, gateway]));
  const workloads = new Map<Binding, GatewayWorkload>();
  for (const binding of bindings) {
    if (binding === MESH) continue;
    const override = overrides.get(binding);
    if (override) {
      workloads.set(binding, parseWorkload(override));
      continue;
    }
    const gateway = byBinding.get(binding);
    const derived = gateway ? workloadFromSelector(gateway.selector) : null;
    const name = binding.slice(binding.indexOf('/') + 1);
    const workload = derived ?? (gatewayApiBindings.has(binding) ? `${name}-istio` : 'istio-ingressgateway');
    workloads.set(binding, { workload, namespace: null });
  }
  return workloads;
}

function fromWorkload(series: ObservedSeries, workload: GatewayWorkload): boolean {
  return series.sourceWorkload === workload.workload && (workload.namespace === null || series.sourceNamespace === workload.namespace);
}

/** A loop, not `some` with an arrow: that arrow would be a closure per series judged. */
function fromAnyOf(series: ObservedSeries, workloads: readonly GatewayWorkload[]): boolean {
  for (const workload of workloads) if (fromWorkload(series, workload)) return true;
  return false;
}

/**
 * Whether a series counts for a binding: a gateway's own workload for gateway bindings; for the
 * mesh, everything that no gateway sent, from the namespaces the object is exported to.
 */
function countsFor(binding: Binding, workloads: ReadonlyMap<Binding, GatewayWorkload>, exportTo: readonly string[] | null): (series: ObservedSeries) => boolean {
  if (binding !== MESH) {
    const workload = workloads.get(binding);
    return workload ? (item) => fromWorkload(item, workload) : () => false;
  }
  const gatewayList = [...workloads.values()];
  return (item) =>
    !WELL_KNOWN_GATEWAYS.has(item.sourceWorkload) &&
    !fromAnyOf(item, gatewayList) &&
    // A VirtualService exported to some namespaces applies only to their sidecars.
    (exportTo === null || exportTo.includes(item.sourceNamespace));
}

/** The series that count for a binding (see `countsFor`). */
export function seriesForBinding(
  series: readonly ObservedSeries[],
  binding: Binding,
  workloads: ReadonlyMap<Binding, GatewayWorkload>,
  exportTo: readonly string[] | null = null,
): ObservedSeries[] {
  return series.filter(countsFor(binding, workloads, exportTo));
}

/**
 * Each host's traffic per version as one binding sees it, summed once per binding, exportTo and
 * host however many groups send to that host: 500 VirtualServices in front of one backend read
 * its 10,000 series once, not 500 times.
 */
export class AttributedTotals {
  private readonly byHost = new Map<string, ObservedSeries[]>();
  private readonly totals = new Map<string, VersionTotal[]>();

  constructor(
    series: readonly ObservedSeries[],
    private readonly workloads: ReadonlyMap<Binding, GatewayWorkload>,
  ) {
    // Prometheus usually sends a host's series one after another: a run needs one lookup.
    let host: string | undefined;
    let list: ObservedSeries[] = [];
    for (const item of series) {
      if (item.host !== host) {
        host = item.host;
        const known = this.byHost.get(host);
        if (known) list = known;
        else this.byHost.set(host, (list = []));
      }
      list.push(item);
    }
  }

  /** In the order each version first appears in the host's series. */
  forHost(host: string, binding: Binding, exportTo: readonly string[] | null): VersionTotal[] {
    const key = JSON.stringify([host, binding, exportTo]);
    let totals = this.totals.get(key);
    if (totals === undefined) {
      const byVersion = new Map<string, VersionTotal>();
      const counts = countsFor(binding, this.workloads, exportTo);
      for (const item of this.byHost.get(host) ?? []) {
        if (!counts(item)) continue;
        const total = byVersion.get(item.version);
        if (total) total.value += item.value;
        else byVersion.set(item.version, { host, version: item.version, value: item.value });
      }
      totals = [...byVersion.values()];
      this.totals.set(key, totals);
    }
    return totals;
  }
}
