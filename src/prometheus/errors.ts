/**
 * Errors of the Prometheus access layer.
 *
 * Both classes build their message from scratch and carry only plain, secret-free fields:
 * no `cause`, no request config, no headers, no URL with user-info. That is what keeps bearer
 * tokens, basic-auth passwords and header values out of messages, stacks, `util.inspect` and
 * JSON (SPEC §10). Whoever creates one is responsible for passing only redacted text in.
 */

export type PrometheusErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'http-status'
  | 'not-prometheus'
  | 'query-error'
  | 'tls';

export interface PrometheusErrorDetails {
  kind: PrometheusErrorKind;
  /** URL of the Prometheus as shown to users (see `displayUrl`). */
  url: string;
  /** HTTP status, when Prometheus (or a proxy) answered. */
  status?: number;
  /** Prometheus' `errorType` (`bad_data`, `execution`, `timeout`, …) when it sent one. */
  errorType?: string;
  /** How many HTTP attempts were made before giving up. */
  attempts?: number;
  /** Low-level code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …) — never secret. */
  code?: string;
}

/** Prometheus could not be queried. The CLI maps every kind to exit 69 (SPEC §7). */
export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
  readonly kind: PrometheusErrorKind;
  readonly url: string;
  readonly status?: number;
  readonly errorType?: string;
  readonly attempts?: number;
  readonly code?: string;

  constructor(message: string, details: PrometheusErrorDetails) {
    super(message);
    this.kind = details.kind;
    this.url = details.url;
    if (details.status !== undefined) this.status = details.status;
    if (details.errorType !== undefined) this.errorType = details.errorType;
    if (details.attempts !== undefined) this.attempts = details.attempts;
    if (details.code !== undefined) this.code = details.code;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      url: this.url,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.errorType !== undefined ? { errorType: this.errorType } : {}),
      ...(this.attempts !== undefined ? { attempts: this.attempts } : {}),
      ...(this.code !== undefined ? { code: this.code } : {}),
    };
  }
}

/**
 * The Prometheus options are unusable: a bad URL, an unreadable token or CA file, a malformed
 * `--header`. The CLI maps it to exit 64 (SPEC §7).
 */
export class PrometheusUsageError extends Error {
  override readonly name = 'PrometheusUsageError';
  /** The option at fault, e.g. `--header`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, option: this.option, message: this.message };
  }
}
