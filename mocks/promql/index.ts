/** The mock Prometheus' PromQL evaluator: what the HTTP layer and scenario generator use. */
export { evaluateInstant, evaluateRange, DEFAULT_LOOKBACK_SECONDS } from './evaluate.js';
export { PromQLError, type PromQLErrorType } from './errors.js';
export { MemorySource } from './memory-source.js';
export type { EvaluateOptions, InstantValue, LabelMatcher, RangeValue, Sample, Series, SeriesSource } from './types.js';
