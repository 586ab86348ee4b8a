import { compareFindings, type Finding } from '../model/findings.js';
import type { LoadedManifests } from '../model/manifest.js';
import { buildReport, judgePlan, observe, planEvaluation, type EvaluateOptions, type EvaluationPlan } from '../evaluate/evaluate.js';
import { countable, observedSeries, summable, type ObservedSeries } from '../evaluate/attribution.js';
import { rangeQuery } from '../prometheus/client.js';
import type { PrometheusConnection } from '../prometheus/connection.js';
import { parseDuration } from '../query/duration.js';
import type { TemplateName } from '../query/template.js';
import { oneLine as safeLine } from '../report/terminal-text.js';
import { emptyWatchData, routeKey, rowKey, TREND_POINTS, type WatchData } from './model.js';

/** Where a watch gets its manifests and metrics. */
export interface WatchSource {
  /** The manifests now; implementations re-read only what changed. */
  manifests(): Promise<LoadedManifests>;
  connection: PrometheusConnection;
  options: Pick<EvaluateOptions, 'settings' | 'gatewayWorkloads' | 'queryFiles' | 'failOn'>;
}

export interface LoopTiming {
  intervalSeconds: number;
  /** Scenario seconds per wall-clock second (demo --speed): a window then passes sooner. */
  speed?: number;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Backoff after consecutive failures: the interval doubled each time, capped at a minute. */
export function retryDelaySeconds(intervalSeconds: number, failures: number): number {
  return Math.min(60, intervalSeconds * 2 ** Math.max(0, failures - 1));
}

/** The last TREND_POINTS points with `point` added: a new array (the screen compares by reference), made once. */
function extendTrend(before: readonly number[] | undefined, point: number): number[] {
  const trend = before ? before.slice(before.length >= TREND_POINTS ? before.length - TREND_POINTS + 1 : 0) : [];
  trend.push(point);
  return trend;
}

function sameEntries<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value || !b.has(key)) return false;
  return true;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Why the manifests stop every evaluation, one line: the findings that fail, counted (warnings
 * too with --fail-on warning), and the first of them, so the screen says which one to fix.
 */
export function stopMessage(findings: readonly Finding[], failOn: 'error' | 'warning'): string {
  const errors = findings.filter((item) => item.level === 'error').sort(compareFindings);
  const warnings = failOn === 'warning' ? findings.filter((item) => item.level === 'warning').sort(compareFindings) : [];
  // An error first, else a warning; each the first the report would list.
  const first = errors[0] ?? warnings[0];
  if (!first) return 'the manifests stop the evaluation (see findings)';
  const counted = [counting(errors.length, 'error'), counting(warnings.length, 'warning')].filter((text) => text !== null);
  const place = [first.object, first.file === null ? null : `${first.file}${first.line === null ? '' : `:${first.line}`}`].filter((text) => text !== null);
  // Object names, files and messages quote manifests: made safe as in the text report.
  const shown = safeLine(`[${first.code}]${place.length > 0 ? ` (${place.join(' ')})` : ''} ${first.message}`);
  return `manifests have ${counted.join(' and ')}${warnings.length > 0 ? ' (--fail-on warning)' : ''}: ${shown}`;
}

function counting(count: number, noun: string): string | null {
  return count === 0 ? null : `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A refresh that takes longer than this shows "⟳ refreshing…" until it ends. */
export const SLOW_REFRESH_MS = 250;

/**
 * The watch data loop, free of React: one evaluation at a time, every `intervalSeconds`,
 * backing off while Prometheus fails and keeping the last good data; a trend per row; and
 * "settling" after a route's declared weights change, until a full window holds only traffic
 * sent under the new weights.
 */
export class WatchLoop {
  private data: WatchData = emptyWatchData();
  private readonly listeners = new Set<(data: WatchData) => void>();
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;
  private declared = new Map<string, string>();
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(
    readonly source: WatchSource,
    private readonly timing: LoopTiming,
  ) {
    this.now = timing.now ?? (() => Date.now());
    this.setTimer = timing.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = timing.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  get state(): WatchData {
    return this.data;
  }

  subscribe(listener: (data: WatchData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(patch: Partial<WatchData>): void {
    this.data = { ...this.data, ...patch };
    for (const listener of this.listeners) listener(this.data);
  }

  /** Seeds the trend from one range query, then evaluates now and on every interval. */
  async start(): Promise<void> {
    await this.seedTrend().catch(() => undefined);
    await this.refresh();
  }

  /** Evaluates now; if one is running, once more right after it. */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.cancelTimer();
    this.running = this.evaluateOnce().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        void this.refresh();
      } else {
        this.schedule();
      }
    });
    return this.running;
  }

  setPaused(paused: boolean): void {
    this.update({ paused });
    if (paused) this.cancelTimer();
    else if (!this.running) this.schedule();
  }

  /** Stops every timer; a running evaluation finishes but changes nothing. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    this.listeners.clear();
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped || this.data.paused) return;
    const delay = this.failures > 0 ? retryDelaySeconds(this.timing.intervalSeconds, this.failures) : this.timing.intervalSeconds;
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.refresh();
    }, delay * 1000);
  }

  /** The plan of the manifests it was made from: a refresh with unchanged manifests reuses it. */
  private planned: { manifests: LoadedManifests; plan: Promise<EvaluationPlan> } | null = null;

  private async plan(): Promise<EvaluationPlan> {
    const manifests = await this.source.manifests();
    if (this.planned?.manifests !== manifests) {
      const planned = { manifests, plan: planEvaluation(manifests, this.source.options) };
      this.planned = planned;
      // A plan that failed (an unreadable or unusable --query-file) is made again at the next
      // refresh: the file may have been mended meanwhile, and the manifests alone never change.
      planned.plan.catch(() => {
        if (this.planned === planned) this.planned = null;
      });
    }
    const plan = await this.planned.plan;
    if (plan.stop !== null) throw new Error(stopMessage(plan.findings, this.source.options.failOn ?? 'error'));
    return plan;
  }

  private async evaluateOnce(): Promise<void> {
    // "refreshing…" only once a refresh is slow: flashing it for a quick one costs a whole frame
    // of the screen and tells nothing.
    const slow = this.setTimer(() => {
      if (!this.stopped) this.update({ evaluating: true });
    }, SLOW_REFRESH_MS);
    // Published with the report it belongs to: a "settling" beside the old report's weights
    // would be a screen that never was.
    let settlingUntil = this.data.settlingUntil;
    try {
      const plan = await this.plan();
      const at = new Date(this.now());
      settlingUntil = this.noteWeightChanges(plan, at.getTime() / 1000);
      const observed = await observe(plan, this.source.connection, at);
      if (this.stopped) return;
      const report = buildReport(plan, judgePlan(plan, observed.series), { at, prometheus: this.source.connection.displayUrl, warnings: observed.warnings });
      this.failures = 0;
      // Only rows of this report keep a trend: versions come and go (a SHA per rollout), and a
      // long watch must not keep every row it ever showed.
      const trends = new Map<string, number[]>();
      for (const result of report.results) {
        for (const destination of result.destinations) {
          const key = rowKey(result, destination);
          const before = this.data.trends.get(key);
          if (destination.actualPercent !== null) trends.set(key, extendTrend(before, destination.actualPercent));
          else if (before) trends.set(key, before);
        }
      }
      this.update({ report, lastGoodAt: at, error: null, nextRetryAt: null, evaluating: false, trends, findings: plan.findings, settlingUntil });
    } catch (error) {
      if (this.stopped) return;
      this.failures += 1;
      const retry = new Date(this.now() + retryDelaySeconds(this.timing.intervalSeconds, this.failures) * 1000);
      this.update({ error: oneLine(error), nextRetryAt: this.data.paused ? null : retry, evaluating: false, settlingUntil });
    } finally {
      this.clearTimer(slow);
    }
  }

  /** A route whose declared split changed settles for one window from now: the new map. */
  private noteWeightChanges(plan: EvaluationPlan, now: number): ReadonlyMap<string, number> {
    const window = (parseDuration(plan.settings.window) ?? 300) / (this.timing.speed ?? 1);
    const declared = new Map(
      plan.groups.map((group) => [
        routeKey({ virtualService: group.source, binding: group.binding, route: group.routes[0]!.route }),
        JSON.stringify(group.routeSplits),
      ]),
    );
    const settlingUntil = new Map([...this.data.settlingUntil].filter(([, until]) => until > now));
    if (this.declared.size > 0) {
      for (const [key, split] of declared) {
        const before = this.declared.get(key);
        if (before !== undefined && before !== split) settlingUntil.set(key, now + window);
      }
    }
    this.declared = declared;
    // Most refreshes change nothing here: the same map then (a failed refresh, which keeps the
    // report and trends, then leaves the memoised rows as they are).
    return sameEntries(settlingUntil, this.data.settlingUntil) ? this.data.settlingUntil : settlingUntil;
  }

  /** One range query per template for the last TREND_POINTS points, judged point by point. */
  private async seedTrend(): Promise<void> {
    const plan = await this.plan();
    const end = this.now() / 1000;
    const step = Math.max(this.timing.intervalSeconds, 30);
    const start = end - step * (TREND_POINTS - 1);
    const byTime = new Map<number, Map<TemplateName, ObservedSeries[]>>();
    await Promise.all(
      plan.queries.map(async (query) => {
        const result = await rangeQuery(this.source.connection, query.promql, new Date(start * 1000), new Date(end * 1000), step);
        for (const series of result.series) {
          // Labels read once a series; a point is then one small object (the seed holds some
          // 120,000 of them for 10,000 series).
          const base = observedSeries(series.labels, 0, plan.settings.versionLabel);
          for (const point of series.points) {
            if (!countable(point.v)) continue;
            let slot = byTime.get(point.t);
            if (!slot) byTime.set(point.t, (slot = new Map<TemplateName, ObservedSeries[]>()));
            const observed = { ...base, value: point.v };
            // Appended in place: copying the slot for every series was quadratic (seconds of
            // CPU, and signals unanswered meanwhile, for 10,000 series).
            const list = slot.get(query.template);
            if (list) list.push(observed);
            else slot.set(query.template, [observed]);
          }
        }
      }),
    );
    const trends = new Map<string, number[]>();
    for (const time of [...byTime.keys()].sort((a, b) => a - b)) {
      // Each step judges every route (tens of ms for thousands): keys and signals are answered
      // between steps, and a quit stops the seed.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.stopped) return;
      const slot = byTime.get(time)!;
      // A point whose counts overflow when added is not data (a refresh would refuse it too).
      if ([...slot.values()].some((series) => !summable(series))) continue;
      for (const result of judgePlan(plan, slot)) {
        for (const destination of result.destinations) {
          if (destination.actualPercent === null) continue;
          const key = rowKey(result, destination);
          const trend = trends.get(key);
          if (trend) trend.push(destination.actualPercent);
          else trends.set(key, [destination.actualPercent]);
        }
      }
    }
    if (this.stopped) return;
    // A refresh may have run meanwhile (the seed yields; `r` refreshes): its points come after
    // the seed's, and only its rows keep a trend.
    const refreshed = this.data.report ? this.data.trends : null;
    const merged = refreshed && new Map([...refreshed].map(([key, points]) => [key, [...(trends.get(key) ?? []), ...points].slice(-TREND_POINTS)]));
    this.update({ trends: merged ?? trends });
  }
}
