/**
 * Errors the mock answers the way Prometheus' HTTP API does (web/api/v1/api.go):
 * `bad_data` (HTTP 400) for anything wrong with the request — parse errors, and also every
 * construct this evaluator does not implement, so a client never gets a wrong number —, and
 * `execution` (HTTP 422) for errors Prometheus only finds while evaluating
 * ("vector cannot contain metrics with the same labelset").
 * The message is Prometheus' `error` string, ready to be sent as is.
 */
export type PromQLErrorType = 'bad_data' | 'execution';

export class PromQLError extends Error {
  override readonly name = 'PromQLError';

  constructor(
    message: string,
    readonly errorType: PromQLErrorType = 'bad_data',
  ) {
    super(message);
  }

  /** The HTTP status Prometheus uses for this error type. */
  get status(): 400 | 422 {
    return this.errorType === 'bad_data' ? 400 : 422;
  }
}

/**
 * Where in the query an error is, as promql/parser ParseErr prints it: 1-based line, and the
 * column counted in bytes of UTF-8 (Go strings), not in UTF-16 units as lezer's offsets are.
 */
export function position(query: string, offset: number): string {
  const before = query.slice(0, offset);
  const line = before.split('\n').length;
  const column = Buffer.byteLength(before.slice(before.lastIndexOf('\n') + 1), 'utf8') + 1;
  return `${line}:${column}`;
}

/** A parse error as Prometheus words it: `invalid parameter "query": 1:9: parse error: …`. */
export function parseError(query: string, offset: number, message: string): PromQLError {
  return new PromQLError(`invalid parameter "query": ${position(query, offset)}: parse error: ${message}`);
}

/** A valid query using something this mock does not evaluate (still `bad_data`: never a wrong number). */
export function unsupported(query: string, offset: number, what: string): PromQLError {
  return new PromQLError(
    `invalid parameter "query": ${position(query, offset)}: not supported by mesh-split's mock Prometheus: ${what}`,
  );
}
