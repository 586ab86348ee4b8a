import { z } from 'zod';
import { parseDuration } from '../../src/query/duration.js';

/** `15s`, `5m`, `1h30m` → seconds; plain numbers are seconds. */
const duration = z.union([z.number().nonnegative(), z.string()]).transform((value, context) => {
  if (typeof value === 'number') return value;
  if (value === '0' || value === '0s') return 0;
  const seconds = parseDuration(value);
  if (seconds === null) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a duration (e.g. 15s, 5m)` });
    return z.NEVER;
  }
  return seconds;
});

const destination = z.object({
  /** Service FQDN, as `destination_service` shows it. */
  service: z.string().min(1),
  version: z.string().min(1),
  percent: z.number().nonnegative(),
});

const split = z.array(destination).min(1);

/** Callers: sidecar workloads, gateway workloads, or callers without a sidecar. */
const flow = z.object({
  id: z.string().min(1),
  source: z.object({
    workload: z.string().min(1),
    namespace: z.string().min(1).default('default'),
    /** Without a sidecar only the destination proxy reports, and it cannot name the caller. */
    sidecar: z.boolean().default(true),
  }),
  metric: z.enum(['requests', 'connections']).default('requests'),
  /** Requests (connections) per second. */
  rate: z.number().nonnegative(),
  /** Relative jitter of the rate per scrape interval, on top of Poisson noise. */
  noise: z.number().min(0).max(1).default(0.05),
  split,
});

const event = z.discriminatedUnion('kind', [
  /** The true split changes (drift starts, stickiness, a bad subset). */
  z.object({ kind: z.literal('split'), at: duration, flow: z.string(), split }),
  z.object({ kind: z.literal('rate'), at: duration, flow: z.string(), rate: z.number().nonnegative() }),
  /** A controller changes the declared weights: the manifests change, the traffic follows. */
  z.object({
    kind: z.literal('weights'),
    at: duration,
    /** Which scenario's manifests it replaces (set when scenarios are merged). */
    section: z.string().optional(),
    manifests: z.string(),
    flows: z.array(z.object({ flow: z.string(), split })).default([]),
  }),
  /** The Prometheus API answers errors for a while. */
  z.object({
    kind: z.literal('outage'),
    at: duration,
    duration,
    status: z.number().int().min(400).max(599).default(503),
  }),
  /** A proxy restarts: its counters start again from zero. */
  z.object({ kind: z.literal('reset'), at: duration, flow: z.string() }),
]);

export const scenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Other scenarios merged into this one (the `all` scenario). */
  include: z.array(z.string()).default([]),
  seed: z.number().int().default(1),
  scrapeInterval: duration.default(15),
  /** How much history exists when the mock starts: "now" is this far into the scenario. */
  history: duration.default(1800),
  manifests: z.string().default(''),
  flows: z.array(flow).default([]),
  events: z.array(event).default([]),
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
