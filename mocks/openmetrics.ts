import type { Series } from './promql/types.js';

/**
 * OpenMetrics text exposition (https://github.com/OpenMetrics/OpenMetrics/blob/main/specification/OpenMetrics.md):
 * label values escape backslash, double quote and line feed; counter families are declared
 * without the `_total` suffix their samples carry; timestamps are unix seconds; `# EOF` ends it.
 * This is what `promtool tsdb create-blocks-from openmetrics` reads.
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

/** Milliseconds are the TSDB's precision; print no more. */
function formatTimestamp(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

export function toOpenMetrics(series: readonly Series[]): string {
  const families = new Map<string, Series[]>();
  for (const item of series) {
    const name = item.labels.__name__ ?? 'unnamed_total';
    families.set(name, [...(families.get(name) ?? []), item]);
  }
  const lines: string[] = [];
  for (const [name, members] of [...families].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`# TYPE ${name.replace(/_total$/, '')} counter`);
    for (const member of members) {
      const labels = formatLabels(member.labels);
      for (const sample of member.samples) lines.push(`${name}${labels} ${sample.v} ${formatTimestamp(sample.t)}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
