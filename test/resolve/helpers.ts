import { parseManifests } from '../../src/manifests/load.js';
import type { Finding } from '../../src/model/findings.js';
import type { DeclaredSplit } from '../../src/model/split.js';
import { resolveSplits } from '../../src/resolve/resolve.js';

export function resolveYaml(text: string, file = 'test.yaml') {
  return resolveSplits(parseManifests(text, file));
}

export function codes(findings: readonly Finding[]): string[] {
  return findings.map((item) => item.code);
}

export function percents(split: DeclaredSplit | undefined): number[] {
  return split?.destinations.map((destination) => destination.declaredPercent) ?? [];
}

/** Lines of `text` (1-based) containing `needle`, to point assertions at the right line. */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`"${needle}" not found`);
}
