// One error type for everything that can go wrong upstream. It carries a small kind
// and never the token, the upstream body or the request headers, so it is safe to log.
import type { UpstreamErrorKind } from './types.js';

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly kind: UpstreamErrorKind;
  /** HTTP status from upstream, when there was a response. */
  readonly status: number | null;
  /** For rate_limited: when the caller may try again (ms since epoch). */
  readonly retryAt: number | null;
  /** True when a write may have reached upstream before it failed (timeout, dropped connection). */
  readonly ambiguous: boolean;
  /** Method and path only (no query, no host), for logs. */
  readonly operation: string;

  constructor(init: {
    kind: UpstreamErrorKind;
    message: string;
    operation: string;
    status?: number | null;
    retryAt?: number | null;
    ambiguous?: boolean;
  }) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.retryAt = init.retryAt ?? null;
    this.ambiguous = init.ambiguous ?? false;
    this.operation = init.operation;
  }
}

export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError;
}
