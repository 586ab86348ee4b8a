import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { FileTooLarge, readSmallFile } from '../files.js';
import { packageRoot } from '../package-root.js';
import { QueryTemplateError } from './errors.js';
import { isLabelName, promqlString, regexAlternation } from './escape.js';

/** The templates in `queries/`, loaded at run time so users can read (and replace) them. */
export type TemplateName = 'requests' | 'tcp-connections';

export interface QueryTemplate {
  name: TemplateName;
  file: string;
  source: string;
}

export interface TemplateValues {
  reporter: 'source' | 'destination';
  versionLabel: string;
  window: string;
  destinationServices: readonly string[];
}

export { QueryTemplateError };


const MAX_QUERY_FILE_BYTES = 1024 * 1024;

export async function loadTemplate(name: TemplateName, file?: string): Promise<QueryTemplate> {
  const path = file ?? join(packageRoot(), 'queries', `${name}.promql`);
  let text: string;
  try {
    // A query is a few lines: a megabyte is more than any, and /dev/zero is not one.
    text = readSmallFile(path, MAX_QUERY_FILE_BYTES);
  } catch (error) {
    if (error instanceof FileTooLarge) throw new QueryTemplateError(`query file "${path}" ${error.message}`);
    throw new QueryTemplateError(`cannot read query file "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  // Comment lines document the template; Prometheus need not receive them.
  const source = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .trim();
  return { name, file: path, source };
}

/** Fills `{{placeholders}}` with escaped values; unknown placeholders are an error. */
export function renderTemplate(template: QueryTemplate, values: TemplateValues): string {
  if (!isLabelName(values.versionLabel)) throw new QueryTemplateError(`"${values.versionLabel}" is not a Prometheus label name`);
  const replacements: Record<string, string> = {
    reporter: promqlString(values.reporter),
    versionLabel: values.versionLabel,
    window: values.window,
    destinationServices: promqlString(regexAlternation(values.destinationServices)),
  };
  return template.source.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    const value = replacements[key];
    if (value === undefined) throw new QueryTemplateError(`${template.file}: unknown placeholder {{${key}}}`);
    return value;
  });
}

/** The labels every result series must carry for attribution and matching. */
export function requiredLabels(versionLabel: string): string[] {
  return ['source_workload', 'destination_service', versionLabel];
}

/**
 * Checks a template with Prometheus' own PromQL grammar before anything is sent: it must parse,
 * and an outer aggregation must keep the labels attribution needs.
 */
export function checkTemplate(template: QueryTemplate, versionLabel: string): void {
  const promql = renderTemplate(template, { reporter: 'source', versionLabel, window: '5m', destinationServices: ['a.b.svc.cluster.local'] });
  const tree = parser.parse(promql);
  let errorAt: number | null = null;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && errorAt === null) errorAt = node.from;
    },
  });
  if (errorAt !== null) {
    const context = promql.slice(Math.max(0, errorAt - 20), errorAt + 20).replace(/\s+/g, ' ');
    throw new QueryTemplateError(`${template.file} is not valid PromQL (near "${context}")`);
  }
  const top = tree.topNode.firstChild;
  if (top?.name !== 'AggregateExpr') return;
  const modifier = top.getChild('AggregateModifier');
  if (!modifier) {
    throw new QueryTemplateError(`${template.file} aggregates away every label; use "sum by (${requiredLabels(versionLabel).join(', ')})"`);
  }
  const grouping = modifier.getChild('GroupingLabels');
  const labels = grouping ? grouping.getChildren('LabelName').map((node) => promql.slice(node.from, node.to)) : [];
  const keeps = modifier.getChild('By') !== null;
  const missing = requiredLabels(versionLabel).filter((label) => labels.includes(label) !== keeps);
  if (missing.length > 0) {
    throw new QueryTemplateError(`${template.file} drops the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which mesh-split needs to attribute traffic`);
  }
}
