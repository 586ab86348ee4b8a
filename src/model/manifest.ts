import type { Finding } from './findings.js';
import type { PositionIndex } from '../manifests/positions.js';

/** The kinds mesh-split reads; everything else in the input is skipped silently (SPEC §4). */
export const MANIFEST_KINDS = [
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'ServiceEntry',
  'Service',
  'HTTPRoute',
] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

/** One Kubernetes object from the input, still as raw data, with where it came from. */
export interface ManifestObject {
  kind: ManifestKind;
  apiVersion: string;
  name: string;
  /** `metadata.namespace`, or the namespace assumed for objects without one. */
  namespace: string;
  body: Record<string, unknown>;
  file: string;
  line: number;
  positions: PositionIndex;
}

export interface LoadedManifests {
  objects: ManifestObject[];
  findings: Finding[];
  /** Every source read, for messages such as "nothing found in …". */
  sources: string[];
}
