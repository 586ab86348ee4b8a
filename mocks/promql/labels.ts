/**
 * Label sets the way Prometheus orders and compares them (model/labels): sorted by name, and
 * compared pairwise by name then value, with Go's byte-wise string order — which is code
 * point order, not JS' UTF-16 order (they differ above U+FFFF).
 */

export type LabelPairs = ReadonlyArray<readonly [string, string]>;

/** Go's string comparison: UTF-8 bytes, i.e. code points. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Labels with an empty value do not exist in Prometheus; the rest sorted by name. */
export function toPairs(labels: Record<string, string>): LabelPairs {
  return Object.entries(labels)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => compareStrings(a, b));
}

export function toRecord(pairs: LabelPairs): Record<string, string> {
  return Object.fromEntries(pairs);
}

/** labels.Compare. */
export function compareLabels(a: LabelPairs, b: LabelPairs): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const [an, av] = a[i] as readonly [string, string];
    const [bn, bv] = b[i] as readonly [string, string];
    const byName = compareStrings(an, bn);
    if (byName !== 0) return byName;
    const byValue = compareStrings(av, bv);
    if (byValue !== 0) return byValue;
  }
  return a.length - b.length;
}

/** An identity for a label set (a Map key). */
export function labelsKey(pairs: LabelPairs): string {
  return JSON.stringify(pairs);
}
