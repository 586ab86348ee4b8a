/**
 * sum and count over one instant vector, as Prometheus 2.42's engine does it
 * (promql/engine.go aggregation): series are grouped by their labels after `by` (keep only
 * those labels) or `without` (drop those and `__name__`); groups come out in the order of
 * their first series, and sum adds the values in input order (plain `+=`; the Kahan
 * summation of later versions is not in 2.42).
 */
import { labelsKey, type LabelPairs } from './labels.js';

export interface Element {
  labels: LabelPairs;
  v: number;
}

export interface Grouping {
  op: 'sum' | 'count';
  without: boolean;
  grouping: readonly string[];
}

export function groupLabels(labels: LabelPairs, { without, grouping }: Grouping): LabelPairs {
  if (without) return labels.filter(([name]) => name !== '__name__' && !grouping.includes(name));
  return labels.filter(([name]) => grouping.includes(name));
}

export function aggregate(elements: readonly Element[], spec: Grouping): Element[] {
  const groups = new Map<string, { labels: LabelPairs; value: number; count: number }>();
  for (const element of elements) {
    const labels = groupLabels(element.labels, spec);
    const key = labelsKey(labels);
    const group = groups.get(key);
    if (!group) groups.set(key, { labels, value: element.v, count: 1 });
    else {
      group.value += element.v;
      group.count++;
    }
  }
  return [...groups.values()].map((group) => ({ labels: group.labels, v: spec.op === 'sum' ? group.value : group.count }));
}
