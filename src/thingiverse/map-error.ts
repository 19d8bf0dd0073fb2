// Every upstream failure becomes one UpstreamError (G3). Messages are fixed, short text:
// never the upstream body, never a header, never the token (L1). The upstream's own error
// text is dropped on purpose: it is not needed to decide anything, and it could echo input.
import { UpstreamError } from './errors.js';
import type { UpstreamErrorKind } from './types.js';

export interface CallContext {
  /** Route template, e.g. 'POST /things/:id/likes'. */
  operation: string;
  /** POST/DELETE: a failure after sending may leave the write applied (see `ambiguous`). */
  write: boolean;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** With no Retry-After, assume the whole documented window (300 requests per 5 minutes) must pass. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 5 * 60_000;
/** A hostile or broken Retry-After must not lock a user out for days. */
const MAX_RATE_LIMIT_WAIT_MS = 60 * 60_000;

const RATE_LIMIT_TEXT = /^\s*You can only send/;

function header(headers: RawAnswer['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as seconds or an HTTP date, clamped to [1 s, 1 h]; absent or unreadable → 5 minutes. */
export function retryAtFrom(value: string | undefined, now: number): number {
  let waitMs = DEFAULT_RATE_LIMIT_WAIT_MS;
  if (value !== undefined && /^\s*\d+\s*$/.test(value)) {
    waitMs = Number(value) * 1000;
  } else if (value !== undefined && !Number.isNaN(Date.parse(value))) {
    waitMs = Date.parse(value) - now;
  }
  return now + Math.min(Math.max(waitMs, 1000), MAX_RATE_LIMIT_WAIT_MS);
}

function looksLikeHtml(answer: RawAnswer): boolean {
  const type = header(answer.headers, 'content-type') ?? '';
  return /text\/html/i.test(type) || /^\s*</.test(answer.body);
}

const MESSAGES: Record<UpstreamErrorKind, string> = {
  unauthorized: 'Thingiverse did not accept the access token.',
  forbidden: 'Thingiverse does not allow this for this account.',
  not_found: 'Thingiverse does not know that item.',
  bad_request: 'Thingiverse refused the request as invalid.',
  rate_limited: 'Thingiverse rate limit reached; try again later.',
  unavailable: 'Thingiverse is not available right now.',
  timeout: 'Thingiverse did not answer in time.',
  bad_response: 'Thingiverse sent an answer that could not be read.',
};

export function upstreamError(
  kind: UpstreamErrorKind,
  ctx: CallContext,
  extra: { status?: number | null; retryAt?: number | null; ambiguous?: boolean; message?: string } = {},
): UpstreamError {
  return new UpstreamError({
    kind,
    message: `${extra.message ?? MESSAGES[kind]} (${ctx.operation})`,
    operation: ctx.operation,
    status: extra.status ?? null,
    retryAt: extra.retryAt ?? null,
    ambiguous: extra.ambiguous ?? false,
  });
}

/** null when the answer is a usable 2xx; otherwise the error to throw. */
export function errorFromAnswer(answer: RawAnswer, ctx: CallContext, now: number = Date.now()): UpstreamError | null {
  const { status } = answer;
  const base = { status };
  // The rate-limit reply is plain text and has been seen with unexpected statuses, so check it first.
  if (status === 429 || status === 420 || RATE_LIMIT_TEXT.test(answer.body)) {
    return upstreamError('rate_limited', ctx, { ...base, retryAt: retryAtFrom(header(answer.headers, 'retry-after'), now) });
  }
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) {
    // followRedirect is off (G4): a redirect would carry the Authorization header to wherever it points.
    return upstreamError('bad_response', ctx, { ...base, message: 'Thingiverse answered with a redirect, which is not followed.' });
  }
  if (status === 401) return upstreamError('unauthorized', ctx, base);
  if (status === 403) {
    return looksLikeHtml(answer)
      ? upstreamError('unavailable', ctx, {
          ...base,
          message: 'Thingiverse is blocking automated traffic right now (challenge page); try again later.',
        })
      : upstreamError('forbidden', ctx, base);
  }
  if (status === 404 || status === 410) return upstreamError('not_found', ctx, base);
  if (status === 408) return upstreamError('timeout', ctx, base);
  if (status >= 500) {
    // The server failed while handling it: a write may or may not have been stored first
    // (the sandbox's `after` faults model exactly that), so a write is reported as ambiguous.
    return upstreamError('unavailable', ctx, { ...base, ambiguous: ctx.write });
  }
  // 400, 422 and any other 4xx: the request itself was refused; nothing was applied.
  return upstreamError('bad_request', ctx, base);
}

// Failures before any connection existed: the request cannot have reached upstream.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRINUSE', 'ERR_INVALID_URL']);

/** A got RequestError (or anything thrown) without a response. */
export function errorFromFailure(err: unknown, ctx: CallContext): UpstreamError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; code?: unknown };
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
    return upstreamError('timeout', ctx, { ambiguous: ctx.write });
  }
  const neverSent = typeof e.code === 'string' && NEVER_SENT.has(e.code);
  // ECONNRESET, EPIPE, "socket hang up" and anything unknown: the write may have landed.
  return upstreamError('unavailable', ctx, { ambiguous: ctx.write && !neverSent });
}
