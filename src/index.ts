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
export { evaluate, type EvaluateOptions } from './evaluate/evaluate.js';
export {
  DEFAULT_SETTINGS,
  type CheckReport,
  type CheckSettings,
  type DestinationResult,
  type MixComponent,
  type ReportStatus,
  type RouteResult,
} from './model/check.js';
export type { Interval, Verdict } from './verdict/types.js';
export { PrometheusError, PrometheusUsageError, type PrometheusErrorKind } from './prometheus/errors.js';
export type { PrometheusConnectionOptions } from './prometheus/connection.js';
export { QueryTemplateError } from './query/template.js';
