import * as z from 'zod/mini';
import './zod.js';

/**
 * The parts of each object the resolver relies on, checked before use. Fields we do not read
 * are not our business (the API server already checked them): they pass unchecked. Plain
 * (stripping) objects, because validate() keeps the original object and zod then never has
 * to copy the fields it does not know.
 */
const labels = z.record(z.string(), z.string());
const nonEmpty = (message?: string) => z.string().check(z.minLength(1, message));
const name = nonEmpty('must be a non-empty string');

/** Istio weights are int32 ≥ 0 (relative since 1.15). */
const istioWeight = weight(2 ** 31 - 1, 'weight must fit in 32 bits');

function weight(maximum: number, tooLarge: string) {
  return z.number({ error: 'weight must be a number' }).check(
    // `abort`: a fractional weight is one problem, not also a negative or oversized one.
    z.refine(Number.isInteger, { error: 'weight must be a whole number', abort: true }),
    z.minimum(0, { error: 'weight must not be negative' }),
    z.maximum(maximum, { error: tooLarge }),
  );
}

// sniHosts, redirect and directResponse are not followed, only looked for: Istio's own validation
// refuses routes without them (src/resolve/virtual-service.ts).
const match = z.nullish(z.array(z.object({ gateways: z.nullish(z.array(z.string())), sniHosts: z.nullish(z.array(z.string())) })));

const routeDestination = z.object({
  destination: z.object({ host: name, subset: z.nullish(nonEmpty()) }),
  weight: z.nullish(istioWeight),
});

const route = z.object({
  name: z.nullish(z.string()),
  match,
  route: z.nullish(z.array(routeDestination)),
  delegate: z.nullish(z.object({ name: z.string() })),
  redirect: z.nullish(z.object({})),
  directResponse: z.nullish(z.object({})),
});

const metadata = z.object({ annotations: z.nullish(labels) });

export const virtualServiceSchema = z.object({
  metadata,
  spec: z.object({
    hosts: z.nullish(z.array(z.string())),
    gateways: z.nullish(z.array(z.string())),
    exportTo: z.nullish(z.array(z.string())),
    http: z.nullish(z.array(route)),
    tcp: z.nullish(z.array(route)),
    tls: z.nullish(z.array(route)),
  }),
});

export const destinationRuleSchema = z.object({
  spec: z.object({
    host: name,
    subsets: z.nullish(z.array(z.object({ name, labels: z.nullish(labels) }))),
  }),
});

export const gatewaySchema = z.object({
  spec: z.nullish(z.object({ selector: z.nullish(labels) })),
});

export const serviceSchema = z.object({
  spec: z.nullish(z.object({ selector: z.nullish(labels) })),
});

export const serviceEntrySchema = z.object({
  spec: z.nullish(z.object({ hosts: z.nullish(z.array(z.string())) })),
});

/** Gateway API weights default to 1 and are bounded by 1,000,000. */
const backendWeight = weight(1_000_000, 'weight must not exceed 1000000');

export const httpRouteSchema = z.object({
  metadata,
  spec: z.object({
    hostnames: z.nullish(z.array(z.string())),
    parentRefs: z.nullish(
      z.array(z.object({ group: z.nullish(z.string()), kind: z.nullish(z.string()), name, namespace: z.nullish(z.string()) })),
    ),
    rules: z.nullish(
      z.array(
        z.object({
          name: z.nullish(z.string()),
          matches: z.nullish(z.array(z.object({}))),
          backendRefs: z.nullish(
            z.array(
              z.object({
                group: z.nullish(z.string()),
                kind: z.nullish(z.string()),
                name,
                namespace: z.nullish(z.string()),
                weight: z.nullish(backendWeight),
              }),
            ),
          ),
        }),
      ),
    ),
  }),
});

export type VirtualServiceBody = z.infer<typeof virtualServiceSchema>;
export type IstioRoute = z.infer<typeof route>;
export type DestinationRuleBody = z.infer<typeof destinationRuleSchema>;
export type HttpRouteBody = z.infer<typeof httpRouteSchema>;
