import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { FileTooLarge, readSmallFile } from '../files.js';
import { packageRoot } from '../package-root.js';
import { QueryTemplateError } from './errors.js';
import { isLabelName, promqlString, regexAlternation } from './escape.js';
import { isRange, keptLabels, missingLabels } from './labels.js';

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

/** Where a placeholder sits: outside any string, in a comment, or inside a string of this quote. */
type Context = 'code' | 'comment' | '"' | "'" | '`';

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/y;

/** Values that are text, not PromQL: they only make sense inside a string literal. */
const TEXT_VALUES = new Set(['reporter', 'destinationServices']);

/**
 * Fills `{{placeholders}}` with values escaped for where each sits: PromQL strings in double or
 * single quotes take escapes, raw strings in backticks take none (so a regex there must not be
 * escaped twice). Unknown placeholders are an error.
 */
export function renderTemplate(template: QueryTemplate, values: TemplateValues): string {
  if (!isLabelName(values.versionLabel)) throw new QueryTemplateError(`"${values.versionLabel}" is not a Prometheus label name`);
  const replacements: Record<string, string> = {
    reporter: values.reporter,
    versionLabel: values.versionLabel,
    window: values.window,
    destinationServices: regexAlternation(values.destinationServices),
  };
  const source = template.source;
  let rendered = '';
  let context: Context = 'code';
  for (let at = 0; at < source.length; ) {
    PLACEHOLDER.lastIndex = at;
    const placeholder = PLACEHOLDER.exec(source);
    if (placeholder) {
      const key = placeholder[1]!;
      const value = replacements[key];
      if (value === undefined) throw new QueryTemplateError(`${template.file}: unknown placeholder {{${key}}}`);
      rendered += placed(template.file, key, value, context);
      at += placeholder[0].length;
      continue;
    }
    const character = source[at]!;
    if (context === 'comment') {
      if (character === '\n') context = 'code';
    } else if (context === 'code') {
      if (character === '#') context = 'comment';
      else if (character === '"' || character === "'" || character === '`') context = character;
    } else if (character === '\\' && context !== '`') {
      // An escape: the next character neither ends the string nor starts a placeholder.
      rendered += source.slice(at, at + 2);
      at += 2;
      continue;
    } else if (character === context) {
      context = 'code';
    }
    rendered += character;
    at += 1;
  }
  return rendered;
}

function placed(file: string, key: string, value: string, context: Context): string {
  switch (context) {
    case '"':
    case "'":
      return promqlString(value, context);
    case '`':
      if (value.includes('`')) throw new QueryTemplateError(`${file}: {{${key}}} sits in a raw string (backticks), which cannot hold its value (it has a backtick); use double quotes`);
      return value;
    case 'comment':
      return promqlString(value, '"');
    case 'code':
      if (TEXT_VALUES.has(key)) throw new QueryTemplateError(`${file}: {{${key}}} must sit inside a string ("…", '…' or \`…\`)`);
      return value;
  }
}

/** The labels every result series must carry for attribution and matching. */
export function requiredLabels(versionLabel: string): string[] {
  return ['source_workload', 'source_workload_namespace', 'destination_service', versionLabel];
}

/**
 * Checks a template with Prometheus' own PromQL grammar before anything is sent: it must parse,
 * and its result must keep the labels attribution needs (`labels.ts` reads which it keeps).
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
  if (isRange(tree.topNode)) throw new QueryTemplateError(`${template.file} gives ranges of samples, not one count per series; wrap the range in increase()`);
  const required = requiredLabels(versionLabel);
  const missing = missingLabels(keptLabels(tree.topNode, promql), required);
  const keep = `keep them with "sum by (${required.join(', ')})"`;
  if (missing === 'scalar') throw new QueryTemplateError(`${template.file} gives a single number, not series by caller and version; ${keep}`);
  if (missing.length > 0) {
    throw new QueryTemplateError(`${template.file} drops the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which mesh-split needs to attribute traffic; ${keep}`);
  }
}
