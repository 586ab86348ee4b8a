/**
 * mesh-split as a library: manifests → declared splits (and, later, observed verdicts).
 * Everything here is free of terminal I/O; the CLI is a thin layer on top.
 */
export { loadManifests, parseManifests, DEFAULT_NAMESPACE, type LoadOptions } from './manifests/load.js';
export type { KubeOptions } from './manifests/kube.js';
export { ManifestInputError } from './manifests/errors.js';
export { resolveSplits } from './resolve/resolve.js';
export { FINDING_CODES, type Finding, type FindingCode, type FindingLevel } from './model/findings.js';
export type { LoadedManifests, ManifestKind, ManifestObject } from './model/manifest.js';
export {
  MESH,
  type Binding,
  type DeclaredDestination,
  type DeclaredRoute,
  type DeclaredSplit,
  type GatewayInfo,
  type Protocol,
  type Resolution,
  type SplitSource,
} from './model/split.js';
