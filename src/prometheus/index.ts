/** Prometheus HTTP API access: connection options, queries, errors. No UI imports here. */

export {
  createConnection,
  displayUrl,
  parseHeader,
  DEFAULT_RETRIES,
  PrometheusConnection,
  type PrometheusAuthKind,
  type PrometheusConnectionOptions,
} from './connection.js';
export {
  buildInfo,
  instantQuery,
  rangeQuery,
  REQUEST_POLICY,
  type BuildInfo,
  type InstantQueryResult,
  type InstantSample,
  type Labels,
  type RangePoint,
  type RangeQueryResult,
  type RangeSeries,
} from './client.js';
export { PrometheusError, PrometheusUsageError, type PrometheusErrorDetails, type PrometheusErrorKind } from './errors.js';
export { redact } from './redact.js';
export { parseSampleValue } from './parse.js';
