// One error type for everything that can go wrong upstream. It carries a small kind, the
// typed operation and never the token, the upstream body or the request headers, so it is
// safe to log. The words a person reads are chosen elsewhere (src/errors.ts describeUpstream).
import { OPERATIONS, type Operation } from './operations.js';
import type { UpstreamErrorKind } from './types.js';

/** Why, when the kind alone does not say it (the words differ for these). */
export type UpstreamDetail = 'challenge' | 'redirect' | 'too_large' | 'held_back';

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly kind: UpstreamErrorKind;
  /** The client method that failed. */
  readonly op: Operation;
  /** Method and route template (no ids, no query, no host), for logs. */
  readonly operation: string;
  /** HTTP status from upstream, when there was a response. */
  readonly status: number | null;
  /** For rate_limited: when the caller may try again (ms since epoch). */
  readonly retryAt: number | null;
  /** True when a write may have reached upstream before it failed (timeout, dropped connection). */
  readonly ambiguous: boolean;
  readonly detail: UpstreamDetail | null;

  constructor(init: {
    kind: UpstreamErrorKind;
    op: Operation;
    message?: string;
    status?: number | null;
    retryAt?: number | null;
    ambiguous?: boolean;
    detail?: UpstreamDetail | null;
  }) {
    const operation = OPERATIONS[init.op].route;
    super(init.message ?? `${operation}: ${init.kind}${init.detail ? ` (${init.detail})` : ''}`);
    this.kind = init.kind;
    this.op = init.op;
    this.operation = operation;
    this.status = init.status ?? null;
    this.retryAt = init.retryAt ?? null;
    this.ambiguous = init.ambiguous ?? false;
    this.detail = init.detail ?? null;
  }

  /** The same failure, with `ambiguous` settled (a read-back showed the write is not there). */
  settled(): UpstreamError {
    const { kind, op, message, status, retryAt, detail } = this;
    return new UpstreamError({ kind, op, message, status, retryAt, detail, ambiguous: false });
  }
}

export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError;
}
