/**
 * A SeriesSource over series held in memory, for tests and for generated scenarios.
 * Like the TSDB it stores milliseconds, refuses two series with the same labels and two
 * samples of a series at the same millisecond, and keeps each series sorted by time.
 */
import { labelsKey, toPairs } from './labels.js';
import { compileMatcherOrThrow, matchesAll } from './matchers.js';
import type { LabelMatcher, Sample, Series, SeriesSource } from './types.js';

interface Stored {
  labels: Record<string, string>;
  /** Milliseconds, ascending. */
  times: number[];
  values: number[];
}

const toMs = (seconds: number): number => Math.round(seconds * 1000);

/** First index whose time is >= ms. */
function lowerBound(times: readonly number[], ms: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemorySource implements SeriesSource {
  private readonly series: Stored[] = [];
  private readonly keys = new Set<string>();

  constructor(series: Iterable<Series> = []) {
    for (const s of series) this.add(s);
  }

  /** Adds a series; throws on a duplicate label set, a duplicate timestamp or a non-finite time. */
  add(series: Series): this {
    // Prometheus has no empty label values: "a" = "" is the same series as no "a".
    const labels = Object.fromEntries(toPairs(series.labels));
    const key = labelsKey(toPairs(labels));
    if (this.keys.has(key)) throw new Error(`MemorySource: duplicate series ${key}`);
    const samples = series.samples
      .map((s) => {
        if (!Number.isFinite(s.t)) throw new Error(`MemorySource: non-finite timestamp in ${key}`);
        return { t: toMs(s.t), v: s.v };
      })
      .sort((a, b) => a.t - b.t);
    for (let i = 1; i < samples.length; i++) {
      if (samples[i]?.t === samples[i - 1]?.t) throw new Error(`MemorySource: two samples at ${(samples[i]?.t ?? 0) / 1000} in ${key}`);
    }
    this.keys.add(key);
    this.series.push({ labels, times: samples.map((s) => s.t), values: samples.map((s) => s.v) });
    return this;
  }

  select(matchers: LabelMatcher[], start: number, end: number): Series[] {
    const compiled = matchers.map(compileMatcherOrThrow);
    const startMs = toMs(start);
    const endMs = toMs(end);
    const out: Series[] = [];
    for (const stored of this.series) {
      if (!matchesAll(stored.labels, compiled)) continue;
      const from = lowerBound(stored.times, startMs);
      const to = lowerBound(stored.times, endMs + 1);
      if (from >= to) continue;
      const samples: Sample[] = [];
      for (let i = from; i < to; i++) samples.push({ t: (stored.times[i] as number) / 1000, v: stored.values[i] as number });
      out.push({ labels: { ...stored.labels }, samples });
    }
    return out;
  }
}
