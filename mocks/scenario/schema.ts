import * as z from 'zod/mini';
import '../../src/model/zod.js';
import { parseDuration } from '../../src/query/duration.js';

const nonNegative = () => z.number().check(z.minimum(0));
const nonEmpty = () => z.string().check(z.minLength(1));

/** `15s`, `5m`, `1h30m` → seconds; plain numbers are seconds. */
const duration = z.pipe(
  z.union([nonNegative(), z.string()]),
  z.transform((value: number | string, context) => {
    if (typeof value === 'number') return value;
    if (value === '0' || value === '0s') return 0;
    const seconds = parseDuration(value);
    if (seconds === null) {
      context.issues.push({ code: 'custom', message: `"${value}" is not a duration (e.g. 15s, 5m)`, input: value });
      return z.NEVER;
    }
    return seconds;
  }),
);

const destination = z.object({
  /** Service FQDN, as `destination_service` shows it. */
  service: nonEmpty(),
  version: nonEmpty(),
  percent: nonNegative(),
});

const split = z.array(destination).check(z.minLength(1));

/** Callers: sidecar workloads, gateway workloads, or callers without a sidecar. */
const flow = z.object({
  id: nonEmpty(),
  source: z.object({
    workload: nonEmpty(),
    namespace: z._default(nonEmpty(), 'default'),
    /** Without a sidecar only the destination proxy reports, and it cannot name the caller. */
    sidecar: z._default(z.boolean(), true),
  }),
  metric: z._default(z.enum(['requests', 'connections']), 'requests'),
  /** Requests (connections) per second. */
  rate: nonNegative(),
  /** Relative jitter of the rate per scrape interval, on top of Poisson noise. */
  noise: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.05),
  split,
});

const event = z.discriminatedUnion('kind', [
  /** The true split changes (drift starts, stickiness, a bad subset). */
  z.object({ kind: z.literal('split'), at: duration, flow: z.string(), split }),
  z.object({ kind: z.literal('rate'), at: duration, flow: z.string(), rate: nonNegative() }),
  /** A controller changes the declared weights: the manifests change, the traffic follows. */
  z.object({
    kind: z.literal('weights'),
    at: duration,
    /** Which scenario's manifests it replaces (set when scenarios are merged). */
    section: z.optional(z.string()),
    manifests: z.string(),
    flows: z._default(z.array(z.object({ flow: z.string(), split })), []),
  }),
  /** The Prometheus API answers errors for a while. */
  z.object({
    kind: z.literal('outage'),
    at: duration,
    duration,
    status: z._default(z.int().check(z.minimum(400), z.maximum(599)), 503),
  }),
  /** A proxy restarts: its counters start again from zero. */
  z.object({ kind: z.literal('reset'), at: duration, flow: z.string() }),
]);

export const scenarioSchema = z.object({
  name: nonEmpty(),
  description: z._default(z.string(), ''),
  /** Other scenarios merged into this one (the `all` scenario). */
  include: z._default(z.array(z.string()), []),
  seed: z._default(z.int(), 1),
  scrapeInterval: z._default(duration, 15),
  /** How much history exists when the mock starts: "now" is this far into the scenario. */
  history: z._default(duration, 1800),
  manifests: z._default(z.string(), ''),
  flows: z._default(z.array(flow), []),
  events: z._default(z.array(event), []),
});

export type ScenarioFile = z.input<typeof scenarioSchema>;

/** The manifests of one scenario inside a merged one; controller changes replace a section. */
export interface ManifestSection {
  name: string;
  manifests: string;
}

export type Scenario = z.output<typeof scenarioSchema> & { sections: ManifestSection[] };
export type Flow = Scenario['flows'][number];
export type ScenarioEvent = Scenario['events'][number];
export type SplitShare = z.output<typeof destination>;
