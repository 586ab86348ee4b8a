import { MESH, type Binding, type GatewayInfo } from '../model/split.js';
import type { InstantSample } from '../prometheus/parse.js';

/** One series of the query result, in the domain's words. */
export interface ObservedSeries {
  sourceWorkload: string;
  sourceNamespace: string;
  host: string;
  /** The version label's value; Istio writes `unknown` when the pod has none. */
  version: string;
  value: number;
}

export function toObservedSeries(samples: readonly InstantSample[], versionLabel: string): ObservedSeries[] {
  return samples
    .filter((sample) => Number.isFinite(sample.value) && sample.value >= 0)
    .map((sample) => ({
      sourceWorkload: sample.labels.source_workload ?? 'unknown',
      sourceNamespace: sample.labels.source_workload_namespace ?? 'unknown',
      host: sample.labels.destination_service ?? '',
      version: sample.labels[versionLabel] || 'unknown',
      value: sample.value,
    }));
}

/** The proxy workload that carries a gateway's traffic; namespace null means "any". */
export interface GatewayWorkload {
  workload: string;
  namespace: string | null;
}

/** Gateway proxies never apply mesh-bound VirtualServices, so their traffic is never mesh traffic. */
const WELL_KNOWN_GATEWAYS = ['istio-ingressgateway', 'istio-egressgateway'];

/**
 * A Gateway's workload from its selector, as Istio's installers name them:
 * `istio: ingressgateway` → `istio-ingressgateway`; `app: my-gw` → `my-gw`.
 */
export function workloadFromSelector(selector: Record<string, string>): string | null {
  if (selector.istio) return selector.istio.startsWith('istio-') ? selector.istio : `istio-${selector.istio}`;
  return selector.app ?? selector['app.kubernetes.io/name'] ?? null;
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

/**
 * The series that count for a binding: a gateway's own workload for gateway bindings; for the
 * mesh, everything that no gateway sent, from the namespaces the object is exported to.
 */
export function seriesForBinding(
  series: readonly ObservedSeries[],
  binding: Binding,
  workloads: ReadonlyMap<Binding, GatewayWorkload>,
  exportTo: readonly string[] | null = null,
): ObservedSeries[] {
  if (binding !== MESH) {
    const workload = workloads.get(binding);
    return workload ? series.filter((item) => fromWorkload(item, workload)) : [];
  }
  const gatewayList = [...workloads.values()];
  return series.filter(
    (item) =>
      !WELL_KNOWN_GATEWAYS.includes(item.sourceWorkload) &&
      !gatewayList.some((workload) => fromWorkload(item, workload)) &&
      // A VirtualService exported to some namespaces applies only to their sidecars.
      (exportTo === null || exportTo.includes(item.sourceNamespace)),
  );
}
