// The one function that sends a request: one deadline for the whole call, retries and waits
// included (G1), idempotent-only retries (G2), and every attempt counted by the rate limiter
// under the credential that makes it, so its count is what Thingiverse receives.
import type { Got } from 'got';
import { errorFromAnswer, errorFromFailure, header } from './map-error.js';
import type { RawAnswer } from './map-error.js';
import { isUpstreamError, type UpstreamError } from './errors.js';
import type { RateLimiter } from './limiter.js';
import type { CallOptions } from './types.js';
import { once, type OnceOptions } from './http.js';

const RETRY_STATUS_CODES = new Set([408, 429, 500, 502, 503, 504, 521, 522, 524]);
// got's default list: failures where trying again can help.
const RETRY_ERROR_CODES = new Set(['ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN']);
const BACKOFF_LIMIT_MS = 2_000;

export interface Transport {
  limiter: RateLimiter;
  /** Whole call, retries and waits included (G1). */
  deadlineMs: number;
  /** One attempt; never more than what is left of the deadline. */
  attemptTimeoutMs: number;
  retryLimit: number;
  /** The first retry's wait; doubled for each further one, at most BACKOFF_LIMIT_MS. */
  retryDelayMs: number;
  maxRetryAfterMs: number;
  maxBodyBytes: number;
  now: () => number;
  /** How a retry's wait is waited (the client's clock, like `now`). */
  sleep: (ms: number) => Promise<void>;
}

export interface SendOptions extends OnceOptions {
  /** Limiter key of the credential making the call. */
  key: string;
  call?: CallOptions;
}

/** Resolves with a 2xx answer; anything else rejects with an UpstreamError. */
export async function send(http: Got, t: Transport, opts: SendOptions): Promise<RawAnswer> {
  const deadline = t.now() + t.deadlineMs;
  // POST is never retried: a like whose answer was lost may have been stored (G2).
  const retries = opts.method === 'POST' ? 0 : t.retryLimit;
  for (let attempt = 1; ; attempt++) {
    await t.limiter.take(opts.key, opts.op, { deadline, reserve: opts.call?.reserve ?? 0 });
    const timeout = Math.max(1, Math.min(t.attemptTimeoutMs, deadline - t.now()));
    let failure: UpstreamError;
    let answer: RawAnswer | null = null;
    let retryable = false;
    try {
      answer = await once(http, opts, t.maxBodyBytes, timeout);
      const refused = errorFromAnswer(answer, opts.op, t.now());
      if (!refused) return answer;
      failure = refused;
    } catch (err) {
      // got's error carries the request options (headers included): never rethrow or wrap it (L1).
      failure = isUpstreamError(err) ? err : errorFromFailure(err, opts.op);
      retryable = !isUpstreamError(err) && isRetryableFailure(err);
    }
    if (failure.kind === 'rate_limited' && failure.retryAt !== null) t.limiter.holdUntil(opts.key, failure.retryAt);
    const delay = attempt <= retries ? retryDelay(failure, answer, retryable, attempt, t) : null;
    // Not enough time left for the wait and another try: the user's wait ends here.
    if (delay === null || t.now() + delay >= deadline) throw failure;
    await t.sleep(delay);
  }
}

/**
 * How long to wait before another try, or null for none. A 429 is retried only with a short
 * Retry-After: the real limit is a 5-minute window, so guessing would only burn budget.
 */
function retryDelay(failure: UpstreamError, answer: RawAnswer | null, retryable: boolean, attempt: number, t: Transport): number | null {
  if (answer) {
    if (!RETRY_STATUS_CODES.has(answer.status) && failure.kind !== 'rate_limited') return null;
    const retryAfter = header(answer.headers, 'retry-after');
    if (failure.kind === 'rate_limited') {
      if (retryAfter === undefined || failure.retryAt === null) return null;
      const wait = failure.retryAt - t.now();
      // A few ms past the retry time, so the limiter's hold has surely expired.
      return wait <= t.maxRetryAfterMs ? Math.max(0, wait) + 5 : null;
    }
  } else if (!retryable) {
    return null;
  }
  return Math.min(BACKOFF_LIMIT_MS, 2 ** (attempt - 1) * t.retryDelayMs) + Math.floor(Math.random() * (t.retryDelayMs / 10));
}

/** A failure without an answer that is worth another try: a timeout or one of got's codes. */
function isRetryableFailure(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; code?: unknown };
  return e.name === 'TimeoutError' || (typeof e.code === 'string' && RETRY_ERROR_CODES.has(e.code));
}

