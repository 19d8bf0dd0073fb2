// Every upstream failure becomes one UpstreamError (G3). Messages are short technical text
// for developers: never the upstream body, never a header, never the token (L1). What a
// person reads is chosen from kind/op/detail by describeUpstream (src/errors.ts).
import { UpstreamError, type UpstreamDetail } from './errors.js';
import { OPERATIONS, type Operation } from './operations.js';
import type { UpstreamErrorKind } from './types.js';

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

export function header(headers: RawAnswer['headers'], name: string): string | undefined {
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

const DETAIL_TEXT: Record<UpstreamDetail, string> = {
  challenge: 'Thingiverse is blocking automated traffic right now (challenge page)',
  redirect: 'Thingiverse answered with a redirect, which is not followed',
  too_large: 'Thingiverse sent more than the client reads (MAX_BODY_BYTES)',
  held_back: 'held back by the rate limiter; nothing was sent',
};

export function upstreamError(
  kind: UpstreamErrorKind,
  op: Operation,
  extra: { status?: number | null; retryAt?: number | null; ambiguous?: boolean; detail?: UpstreamDetail } = {},
): UpstreamError {
  const route = OPERATIONS[op].route;
  const message = extra.detail ? `${DETAIL_TEXT[extra.detail]} (${route})` : undefined;
  return new UpstreamError({ kind, op, ...extra, ...(message ? { message } : {}) });
}

/** null when the answer is a usable 2xx; otherwise the error to throw. */
export function errorFromAnswer(answer: RawAnswer, op: Operation, now: number = Date.now()): UpstreamError | null {
  const { status } = answer;
  const base = { status };
  // The rate-limit reply is plain text and has been seen with unexpected statuses, so check it first.
  if (status === 429 || status === 420 || RATE_LIMIT_TEXT.test(answer.body)) {
    return upstreamError('rate_limited', op, { ...base, retryAt: retryAtFrom(header(answer.headers, 'retry-after'), now) });
  }
  if (status >= 200 && status < 300) return null;
  // followRedirect is off (G4): a redirect would carry the Authorization header to wherever it points.
  if (status >= 300 && status < 400) return upstreamError('bad_response', op, { ...base, detail: 'redirect' });
  if (status === 401) return upstreamError('unauthorized', op, base);
  if (status === 403) {
    return looksLikeHtml(answer) ? upstreamError('unavailable', op, { ...base, detail: 'challenge' }) : upstreamError('forbidden', op, base);
  }
  if (status === 404 || status === 410) return upstreamError('not_found', op, base);
  if (status === 408) return upstreamError('timeout', op, base);
  if (status >= 500) {
    // The server failed while handling it: a write may or may not have been stored first
    // (the sandbox's `after` faults model exactly that), so a write is reported as ambiguous.
    return upstreamError('unavailable', op, { ...base, ambiguous: OPERATIONS[op].write });
  }
  // 400, 422 and any other 4xx: the request itself was refused; nothing was applied.
  return upstreamError('bad_request', op, base);
}

// Failures before any connection existed: the request cannot have reached upstream.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRINUSE', 'ERR_INVALID_URL']);

/** A got RequestError (or anything thrown) without a response. */
export function errorFromFailure(err: unknown, op: Operation): UpstreamError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; code?: unknown };
  const write = OPERATIONS[op].write;
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT') return upstreamError('timeout', op, { ambiguous: write });
  const neverSent = typeof e.code === 'string' && NEVER_SENT.has(e.code);
  // ECONNRESET, EPIPE, "socket hang up" and anything unknown: the write may have landed.
  return upstreamError('unavailable', op, { ambiguous: write && !neverSent });
}
