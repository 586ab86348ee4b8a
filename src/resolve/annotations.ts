import { finding, type Finding } from '../model/findings.js';
import type { ManifestObject } from '../model/manifest.js';
import { sourceLabel, type SplitSource } from '../model/split.js';

/** Per-object overrides of the verdict settings (SPEC §3). */
export const ANNOTATIONS = {
  tolerance: 'mesh-split.io/tolerance',
  minRequests: 'mesh-split.io/min-requests',
  ignore: 'mesh-split.io/ignore',
} as const;

export interface AnnotationSettings {
  tolerance?: number;
  minRequests?: number;
  ignore: boolean;
  /** Malformed values: annotation → what is wrong. */
  problems: { annotation: string; message: string }[];
}

/** Reads the mesh-split annotations; a malformed value is a problem and leaves the default. */
export function parseAnnotations(annotations: Record<string, string>): AnnotationSettings {
  const settings: AnnotationSettings = { ignore: false, problems: [] };
  const tolerance = annotations[ANNOTATIONS.tolerance];
  if (tolerance !== undefined) {
    const value = Number(tolerance);
    if (tolerance.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 100) settings.tolerance = value;
    else settings.problems.push({ annotation: ANNOTATIONS.tolerance, message: `"${tolerance}" is not a number of percentage points from 0 to 100` });
  }
  const minRequests = annotations[ANNOTATIONS.minRequests];
  if (minRequests !== undefined) {
    if (/^\d+$/.test(minRequests.trim())) settings.minRequests = Number(minRequests);
    else settings.problems.push({ annotation: ANNOTATIONS.minRequests, message: `"${minRequests}" is not a whole number` });
  }
  const ignore = annotations[ANNOTATIONS.ignore];
  if (ignore === 'true') settings.ignore = true;
  else if (ignore !== undefined && ignore !== 'false') {
    settings.problems.push({ annotation: ANNOTATIONS.ignore, message: `"${ignore}" is neither "true" nor "false"` });
  }
  return settings;
}

/** MS112 on the line of each malformed annotation: a typo must not silently loosen a gate. */
export function annotationFindings(source: SplitSource): Finding[] {
  return parseAnnotations(source.annotations).problems.map(({ annotation, message }) =>
    finding(
      'MS112',
      { object: sourceLabel(source), file: source.file, line: source.annotationLines[annotation] ?? source.line },
      `${annotation}: ${message}; the global setting applies — fix the value`,
    ),
  );
}

export function annotationLines(object: ManifestObject): Record<string, number> {
  const annotations = (object.body.metadata as { annotations?: unknown } | undefined)?.annotations;
  if (annotations === null || typeof annotations !== 'object') return {};
  const lines: Record<string, number> = {};
  for (const key of Object.keys(annotations)) {
    const line = object.positions.lineOf(annotations, key);
    if (line !== undefined) lines[key] = line;
  }
  return lines;
}
