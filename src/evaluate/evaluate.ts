import { append } from '../arrays.js';
import { loadManifests, type LoadOptions } from '../manifests/load.js';
import { DEFAULT_SETTINGS, type CheckReport, type CheckSettings, type RouteResult, type SentQuery } from '../model/check.js';
import { EXIT } from '../model/exit-codes.js';
import { compareFindings, finding, type Finding } from '../model/findings.js';
import type { LoadedManifests } from '../model/manifest.js';
import { sourceLabel, type Binding, type Protocol, type SplitSource } from '../model/split.js';
import { instantQuery, type InstantSample } from '../prometheus/client.js';
import { PrometheusError } from '../prometheus/errors.js';
import { createConnection, PrometheusConnection, type PrometheusConnectionOptions } from '../prometheus/connection.js';
import { checkTemplate, loadTemplate, renderTemplate, type TemplateName } from '../query/template.js';
import { resolveSplits } from '../resolve/resolve.js';
import { SCHEMA_VERSION } from '../report/split-json.js';
import { tableCell } from '../report/terminal-text.js';
import { effectiveSettings, isIgnored } from './annotations.js';
import { AttributedTotals, gatewayWorkloads, summable, toObservedSeries, type GatewayWorkload, type ObservedSeries, type VersionTotal } from './attribution.js';
import { compareGroup, type EffectiveSettings } from './compare.js';
import { groupSplits, type CompareGroup } from './groups.js';
import { compareResults, failingFindings, outcome } from './outcome.js';

export interface EvaluateOptions {
  /** Where to read manifests, or manifests already loaded. */
  manifests: LoadOptions | LoadedManifests;
  prometheus: PrometheusConnectionOptions | PrometheusConnection;
  settings?: Partial<CheckSettings>;
  /** Evaluate at this instant instead of now (post-mortems, reproducible runs). */
  at?: Date;
  /** `namespace/gateway` → `workload` or `namespace/workload`. */
  gatewayWorkloads?: Record<string, string>;
  /** Replacement templates (`--query-file`), by template name. */
  queryFiles?: Partial<Record<TemplateName, string>>;
  failOn?: 'error' | 'warning';
}

const TEMPLATE_FOR: Record<Protocol, TemplateName> = { http: 'requests', tcp: 'tcp-connections', tls: 'tcp-connections' };

/** What one query template is asked for. */
export interface PlannedQuery extends SentQuery {
  template: TemplateName;
}

/** Everything decided before asking Prometheus: what to compare, and the queries to send. */
export interface EvaluationPlan {
  settings: CheckSettings;
  findings: Finding[];
  groups: CompareGroup[];
  queries: PlannedQuery[];
  /** Set when the manifests stop the evaluation before any query (exit 65). */
  stop: number | null;
  workloads: Map<Binding, GatewayWorkload>;
  perSource: Map<SplitSource, EffectiveSettings>;
}

/**
 * Manifests → the comparison plan: resolved and grouped routes, annotations applied, templates
 * loaded, checked and rendered — one query per template in use, however many objects.
 */
export async function planEvaluation(
  manifests: LoadedManifests,
  options: Pick<EvaluateOptions, 'settings' | 'gatewayWorkloads' | 'queryFiles' | 'failOn'> = {},
): Promise<EvaluationPlan> {
  const settings: CheckSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const resolution = resolveSplits(manifests);
  const findings: Finding[] = [...resolution.findings];
  const plan: EvaluationPlan = { settings, findings, groups: [], queries: [], stop: null, workloads: new Map(), perSource: new Map() };
  // Invalid manifests stop here: a gate must not pass on what Istio would reject.
  if (failingFindings(findings, options.failOn ?? 'error')) return { ...plan, stop: EXIT.input };

  const sources = new Set(resolution.splits.map((split) => split.virtualService));
  const ignored = new Set([...sources].filter((source) => isIgnored(source)));
  for (const source of ignored) {
    findings.push(finding('MS205', { object: sourceLabel(source), file: source.file, line: source.line }, 'ignored (mesh-split.io/ignore: "true")'));
  }
  const groups = groupSplits(resolution.splits.filter((split) => !ignored.has(split.virtualService)));
  if (groups.length === 0) {
    findings.push(finding('MS004', {}, 'every route is ignored by annotation; nothing to compare'));
    return { ...plan, stop: EXIT.input };
  }
  const defaults = { tolerance: settings.tolerance, minRequests: settings.minRequests, confidence: settings.confidence };
  return {
    ...plan,
    groups,
    queries: await renderQueries(groups, settings, options.queryFiles ?? {}),
    workloads: gatewayWorkloads(
      groups.map((group) => group.binding),
      resolution.gateways,
      new Map(Object.entries(options.gatewayWorkloads ?? {})),
      new Set(groups.filter((group) => group.source.kind === 'HTTPRoute').map((group) => group.binding)),
    ),
    perSource: new Map([...sources].map((source) => [source, effectiveSettings(source, defaults)])),
  };
}

/** The samples of one evaluation instant → one verdict per group. Pure. */
export function judgePlan(plan: EvaluationPlan, observed: ReadonlyMap<TemplateName, ObservedSeries[]>): RouteResult[] {
  const defaults = { tolerance: plan.settings.tolerance, minRequests: plan.settings.minRequests, confidence: plan.settings.confidence };
  const totals = new Map<TemplateName, AttributedTotals>();
  for (const [template, series] of observed) totals.set(template, new AttributedTotals(series, plan.workloads));
  return plan.groups
    .map((group) => {
      const attributed = totals.get(TEMPLATE_FOR[group.protocol]);
      const traffic: VersionTotal[] = [];
      if (attributed) {
        for (const host of new Set(group.destinations.map((destination) => destination.host))) {
          append(traffic, attributed.forHost(host, group.binding, group.source.exportTo));
        }
      }
      return compareGroup(group, traffic, plan.perSource.get(group.source) ?? defaults);
    })
    .sort(compareResults);
}

export function buildReport(
  plan: EvaluationPlan,
  results: RouteResult[],
  context: { at: Date; prometheus: string; warnings?: string[] },
): CheckReport {
  const { status, exitCode } = outcome(results, plan.settings.allowInconclusive);
  return {
    schemaVersion: SCHEMA_VERSION,
    status: plan.stop === null ? status : 'error',
    exitCode: plan.stop ?? exitCode,
    evaluatedAt: context.at.toISOString(),
    window: plan.settings.window,
    prometheus: context.prometheus,
    settings: plan.settings,
    results,
    findings: [...plan.findings].sort(compareFindings),
    queries: plan.stop === null ? plan.queries.map(({ template, protocol, promql }) => ({ template, protocol, promql })) : [],
    warnings: context.warnings ?? [],
  };
}

/**
 * Why an answer cannot be judged, or null. `observed`: the samples that count, as
 * `toObservedSeries` keeps them.
 */
function unusableAnswer(samples: readonly InstantSample[], observed: readonly ObservedSeries[], versionLabel: string): string | null {
  // A count that is NaN, infinite or negative is not data: refuse rather than judge less.
  const broken = samples.length - observed.length;
  if (broken > 0) return `NaN, ±Inf or negative counts for ${broken} series`;
  if (!summable(observed)) return 'counts that add up to more than a number can hold (over 1.8e308)';
  // The template keeps its labels (it is checked to): a value without any (a scalar) answers
  // another question.
  if (samples.some((sample) => !hasLabels(sample.labels))) return 'a value that has no labels (a scalar?), which no route can be judged on';
  // Istio writes "unknown" for a pod without a version, so a label no series carries at all is
  // a misnamed --version-label (or a source that drops it): every version would read 0 %.
  if (samples.length > 0 && !samples.some((sample) => Object.hasOwn(sample.labels, versionLabel))) {
    return `series none of which carries the version label "${versionLabel}" (they carry ${labelNamesOf(samples)}), so no version can be told apart; is --version-label right?`;
  }
  return null;
}

/** The label names of the first series, to name what the answer does carry. */
function labelNamesOf(samples: readonly InstantSample[]): string {
  const names = Object.keys(samples[0]!.labels).sort().map((name) => tableCell(name));
  return names.length > 8 ? `${names.slice(0, 8).join(', ')}, …` : names.join(', ');
}

function hasLabels(labels: object): boolean {
  for (const _ in labels) return true;
  return false;
}

/** Sends each planned query once, at `at`. */
export async function observe(plan: EvaluationPlan, connection: PrometheusConnection, at: Date) {
  const series = new Map<TemplateName, ObservedSeries[]>();
  const warnings: string[] = [];
  await Promise.all(
    plan.queries.map(async (query) => {
      const result = await instantQuery(connection, query.promql, at);
      const observed = toObservedSeries(result.series, plan.settings.versionLabel);
      const problem = unusableAnswer(result.series, observed, plan.settings.versionLabel);
      if (problem) {
        throw new PrometheusError(
          `Prometheus at ${connection.displayUrl} answered ${problem} (${query.template} query); check the data source (recording rules, federation) before trusting a verdict`,
          { kind: 'query-error', url: connection.displayUrl },
        );
      }
      append(warnings, result.warnings);
      series.set(query.template, observed);
    }),
  );
  return { series, warnings };
}

/**
 * One evaluation: manifests → declared splits → one query per template → observations →
 * verdicts. Returns the same structure as `check -o json`. Throws PrometheusError when
 * Prometheus cannot be queried, QueryTemplateError for an unusable template.
 */
export async function evaluate(options: EvaluateOptions): Promise<CheckReport> {
  const at = options.at ?? new Date();
  const connection = options.prometheus instanceof PrometheusConnection ? options.prometheus : createConnection(options.prometheus);
  const manifests = 'objects' in options.manifests ? options.manifests : await loadManifests(options.manifests);
  const plan = await planEvaluation(manifests, options);
  const context = { at, prometheus: connection.displayUrl };
  if (plan.stop !== null) return buildReport(plan, [], context);
  const observed = await observe(plan, connection, at);
  return buildReport(plan, judgePlan(plan, observed.series), { ...context, warnings: observed.warnings });
}

async function renderQueries(
  groups: readonly CompareGroup[],
  settings: CheckSettings,
  queryFiles: Partial<Record<TemplateName, string>>,
): Promise<PlannedQuery[]> {
  const byTemplate = new Map<TemplateName, { hosts: Set<string>; protocols: Set<Protocol> }>();
  for (const group of groups) {
    const name = TEMPLATE_FOR[group.protocol];
    const entry = byTemplate.get(name) ?? { hosts: new Set(), protocols: new Set() };
    for (const destination of group.destinations) entry.hosts.add(destination.host);
    entry.protocols.add(group.protocol);
    byTemplate.set(name, entry);
  }
  const queries = await Promise.all(
    [...byTemplate].map(async ([name, { hosts, protocols }]) => {
      const template = await loadTemplate(name, queryFiles[name]);
      checkTemplate(template, settings.versionLabel);
      const promql = renderTemplate(template, {
        reporter: settings.reporter,
        versionLabel: settings.versionLabel,
        window: settings.window,
        destinationServices: [...hosts],
      });
      return { template: name, protocol: [...protocols].sort(), promql };
    }),
  );
  return queries.sort((a, b) => a.template.localeCompare(b.template));
}
