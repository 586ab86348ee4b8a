import type { SplitSource } from '../model/split.js';
import { parseAnnotations } from '../resolve/annotations.js';
import type { EffectiveSettings } from './compare.js';

/** The settings for one object: its annotations over the global ones (malformed ones were MS112). */
export function effectiveSettings(source: SplitSource, defaults: EffectiveSettings): EffectiveSettings {
  const parsed = parseAnnotations(source.annotations);
  return { ...defaults, tolerance: parsed.tolerance ?? defaults.tolerance, minRequests: parsed.minRequests ?? defaults.minRequests };
}

export function isIgnored(source: SplitSource): boolean {
  return parseAnnotations(source.annotations).ignore;
}
