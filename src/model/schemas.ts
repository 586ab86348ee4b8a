import { z } from 'zod';

/**
 * The parts of each object the resolver relies on, checked before use. Objects stay loose:
 * fields we do not read are not our business (and the API server already checked them).
 */
const labels = z.record(z.string(), z.string());
const name = z.string().min(1, 'must be a non-empty string');

/** Istio weights are int32 ≥ 0 (relative since 1.15). */
const istioWeight = z
  .number({ error: 'weight must be a number' })
  .int({ error: 'weight must be a whole number' })
  .min(0, { error: 'weight must not be negative' })
  .max(2 ** 31 - 1, { error: 'weight must fit in 32 bits' });

const match = z.array(z.looseObject({ gateways: z.array(z.string()).nullish() })).nullish();

const routeDestination = z.looseObject({
  destination: z.looseObject({ host: name, subset: z.string().min(1).nullish() }),
  weight: istioWeight.nullish(),
});

const route = z.looseObject({
  name: z.string().nullish(),
  match,
  route: z.array(routeDestination).nullish(),
  delegate: z.looseObject({ name: z.string() }).nullish(),
});

const metadata = z.looseObject({ annotations: labels.nullish() });

export const virtualServiceSchema = z.looseObject({
  metadata,
  spec: z.looseObject({
    hosts: z.array(z.string()).nullish(),
    gateways: z.array(z.string()).nullish(),
    exportTo: z.array(z.string()).nullish(),
    http: z.array(route).nullish(),
    tcp: z.array(route).nullish(),
    tls: z.array(route).nullish(),
  }),
});

export const destinationRuleSchema = z.looseObject({
  spec: z.looseObject({
    host: name,
    subsets: z.array(z.looseObject({ name, labels: labels.nullish() })).nullish(),
  }),
});

export const gatewaySchema = z.looseObject({
  spec: z.looseObject({ selector: labels.nullish() }).nullish(),
});

export const serviceSchema = z.looseObject({
  spec: z.looseObject({ selector: labels.nullish() }).nullish(),
});

export const serviceEntrySchema = z.looseObject({
  spec: z.looseObject({ hosts: z.array(z.string()).nullish() }).nullish(),
});

/** Gateway API weights default to 1 and are bounded by 1,000,000. */
const backendWeight = z
  .number({ error: 'weight must be a number' })
  .int({ error: 'weight must be a whole number' })
  .min(0, { error: 'weight must not be negative' })
  .max(1_000_000, { error: 'weight must not exceed 1000000' });

export const httpRouteSchema = z.looseObject({
  metadata,
  spec: z.looseObject({
    hostnames: z.array(z.string()).nullish(),
    parentRefs: z
      .array(z.looseObject({ group: z.string().nullish(), kind: z.string().nullish(), name, namespace: z.string().nullish() }))
      .nullish(),
    rules: z
      .array(
        z.looseObject({
          name: z.string().nullish(),
          matches: z.array(z.looseObject({})).nullish(),
          backendRefs: z
            .array(
              z.looseObject({
                group: z.string().nullish(),
                kind: z.string().nullish(),
                name,
                namespace: z.string().nullish(),
                weight: backendWeight.nullish(),
              }),
            )
            .nullish(),
        }),
      )
      .nullish(),
  }),
});

export type VirtualServiceBody = z.infer<typeof virtualServiceSchema>;
export type IstioRoute = z.infer<typeof route>;
export type DestinationRuleBody = z.infer<typeof destinationRuleSchema>;
export type HttpRouteBody = z.infer<typeof httpRouteSchema>;
