import { loadManifests, type LoadOptions } from '../manifests/load.js';
import { DEFAULT_SETTINGS, type CheckReport, type CheckSettings, type RouteResult, type SentQuery } from '../model/check.js';
import { EXIT } from '../model/exit-codes.js';
import { compareFindings, finding, type Finding } from '../model/findings.js';
import type { LoadedManifests } from '../model/manifest.js';
import type { Protocol } from '../model/split.js';
import { instantQuery } from '../prometheus/client.js';
import { createConnection, PrometheusConnection, type PrometheusConnectionOptions } from '../prometheus/connection.js';
import { checkTemplate, loadTemplate, renderTemplate, type TemplateName } from '../query/template.js';
import { resolveSplits } from '../resolve/resolve.js';
import { SCHEMA_VERSION } from '../report/split-json.js';
import { effectiveSettings, isIgnored } from './annotations.js';
import { gatewayWorkloads, seriesForBinding, toObservedSeries, type ObservedSeries } from './attribution.js';
import { compareGroup } from './compare.js';
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

/**
 * One evaluation: manifests → declared splits → one query per template → observations →
 * verdicts. Returns the same structure as `check -o json`. Throws PrometheusError when
 * Prometheus cannot be queried, QueryTemplateError for an unusable template.
 */
export async function evaluate(options: EvaluateOptions): Promise<CheckReport> {
  const settings: CheckSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const at = options.at ?? new Date();
  const connection =
    options.prometheus instanceof PrometheusConnection ? options.prometheus : createConnection(options.prometheus);
  const manifests = 'objects' in options.manifests ? options.manifests : await loadManifests(options.manifests);
  const resolution = resolveSplits(manifests);
  const findings: Finding[] = [...resolution.findings];
  const report = (results: RouteResult[], queries: SentQuery[], warnings: string[], forced?: number): CheckReport => {
    const { status, exitCode } = outcome(results, settings.allowInconclusive);
    return {
      schemaVersion: SCHEMA_VERSION,
      status: forced === undefined ? status : 'error',
      exitCode: forced ?? exitCode,
      evaluatedAt: at.toISOString(),
      window: settings.window,
      prometheus: connection.displayUrl,
      settings,
      results: results.sort(compareResults),
      findings: findings.sort(compareFindings),
      queries,
      warnings,
    };
  };
  // Invalid manifests stop here: a gate must not pass on what Istio would reject.
  if (failingFindings(findings, options.failOn ?? 'error')) return report([], [], [], EXIT.input);

  const sources = new Set(resolution.splits.map((split) => split.virtualService));
  const ignored = new Set([...sources].filter((source) => isIgnored(source, findings)));
  for (const source of ignored) {
    findings.push(finding('MS205', { object: `${source.kind} ${source.namespace}/${source.name}`, file: source.file, line: source.line }, 'ignored (mesh-split.io/ignore: "true")'));
  }
  const groups = groupSplits(resolution.splits.filter((split) => !ignored.has(split.virtualService)));
  if (groups.length === 0) {
    findings.push(finding('MS004', {}, 'every route is ignored by annotation; nothing to compare'));
    return report([], [], [], EXIT.input);
  }

  const observed = await observe(groups, settings, at, connection, options.queryFiles ?? {});
  const workloads = gatewayWorkloads(
    groups.map((group) => group.binding),
    resolution.gateways,
    new Map(Object.entries(options.gatewayWorkloads ?? {})),
    new Set(groups.filter((group) => group.source.kind === 'HTTPRoute').map((group) => group.binding)),
  );
  const defaults = { tolerance: settings.tolerance, minRequests: settings.minRequests, confidence: settings.confidence };
  const perSource = new Map([...sources].map((source) => [source, effectiveSettings(source, defaults, findings)]));
  const results = groups.map((group) => {
    const series = observed.series.get(TEMPLATE_FOR[group.protocol]) ?? [];
    return compareGroup(group, seriesForBinding(series, group.binding, workloads), perSource.get(group.source) ?? defaults);
  });
  return report(results, observed.queries, observed.warnings);
}

/** One HTTP request per template in use, however many objects there are. */
async function observe(
  groups: readonly CompareGroup[],
  settings: CheckSettings,
  at: Date,
  connection: PrometheusConnection,
  queryFiles: Partial<Record<TemplateName, string>>,
) {
  const hostsByTemplate = new Map<TemplateName, { hosts: Set<string>; protocols: Set<Protocol> }>();
  for (const group of groups) {
    const name = TEMPLATE_FOR[group.protocol];
    const entry = hostsByTemplate.get(name) ?? { hosts: new Set(), protocols: new Set() };
    for (const destination of group.destinations) entry.hosts.add(destination.host);
    entry.protocols.add(group.protocol);
    hostsByTemplate.set(name, entry);
  }
  const series = new Map<TemplateName, ObservedSeries[]>();
  const queries: SentQuery[] = [];
  const warnings: string[] = [];
  await Promise.all(
    [...hostsByTemplate].map(async ([name, { hosts, protocols }]) => {
      const template = await loadTemplate(name, queryFiles[name]);
      checkTemplate(template, settings.versionLabel);
      const promql = renderTemplate(template, {
        reporter: settings.reporter,
        versionLabel: settings.versionLabel,
        window: settings.window,
        destinationServices: [...hosts],
      });
      queries.push({ template: name, protocol: [...protocols], promql });
      const result = await instantQuery(connection, promql, at);
      warnings.push(...result.warnings);
      series.set(name, toObservedSeries(result.series, settings.versionLabel));
    }),
  );
  queries.sort((a, b) => a.template.localeCompare(b.template));
  return { series, queries, warnings };
}
