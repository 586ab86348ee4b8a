import { finding, type Finding } from '../model/findings.js';
import type { SplitSource } from '../model/split.js';
import type { EffectiveSettings } from './compare.js';

export const ANNOTATIONS = {
  tolerance: 'mesh-split.io/tolerance',
  minRequests: 'mesh-split.io/min-requests',
  ignore: 'mesh-split.io/ignore',
} as const;

function place(source: SplitSource) {
  return { object: `${source.kind} ${source.namespace}/${source.name}`, file: source.file, line: source.line };
}

/**
 * Per-object overrides from annotations. A malformed value is a warning and the global
 * setting stays: a typo in an annotation should not silently loosen a gate.
 */
export function effectiveSettings(source: SplitSource, defaults: EffectiveSettings, findings: Finding[]): EffectiveSettings {
  const settings = { ...defaults };
  const tolerance = source.annotations[ANNOTATIONS.tolerance];
  if (tolerance !== undefined) {
    const value = Number(tolerance);
    if (tolerance.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 100) settings.tolerance = value;
    else findings.push(finding('MS112', place(source), `${ANNOTATIONS.tolerance}: "${tolerance}" is not a number of percentage points from 0 to 100; using ${defaults.tolerance}`));
  }
  const minRequests = source.annotations[ANNOTATIONS.minRequests];
  if (minRequests !== undefined) {
    const value = Number(minRequests);
    if (/^\d+$/.test(minRequests.trim())) settings.minRequests = value;
    else findings.push(finding('MS112', place(source), `${ANNOTATIONS.minRequests}: "${minRequests}" is not a whole number; using ${defaults.minRequests}`));
  }
  return settings;
}

export function isIgnored(source: SplitSource, findings: Finding[]): boolean {
  const value = source.annotations[ANNOTATIONS.ignore];
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value !== 'false') {
    findings.push(finding('MS112', place(source), `${ANNOTATIONS.ignore}: "${value}" is neither "true" nor "false"; not ignored`));
  }
  return false;
}
