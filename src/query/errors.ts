/** A template that cannot be used: not PromQL, or without the labels attribution needs. */
export class QueryTemplateError extends Error {
  override readonly name = 'QueryTemplateError';
}
