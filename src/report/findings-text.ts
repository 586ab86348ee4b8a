import type { ChalkInstance } from 'chalk';
import type { Finding, FindingLevel } from '../model/findings.js';
import { oneLine } from './terminal-text.js';

const LABEL: Record<FindingLevel, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** istioctl-analyze style: `Error [MS101] (VirtualService default/reviews file.yaml:12) message`. */
export function formatFinding(item: Finding, color: ChalkInstance): string {
  const paint = item.level === 'error' ? color.red.bold : item.level === 'warning' ? color.yellow : color.cyan;
  const where = item.file ? `${item.file}${item.line ? `:${item.line}` : ''}` : '';
  const context = [item.object, where].filter(Boolean).join(' ');
  // Objects, files and messages quote manifests: cleaned to one line each, then our colour.
  return `${paint(`${LABEL[item.level]} [${item.code}]`)}${oneLine(`${context ? ` (${context})` : ''} ${item.message}`)}`;
}

export function formatFindings(findings: readonly Finding[], color: ChalkInstance): string {
  return findings.map((item) => formatFinding(item, color)).join('\n');
}
