// The got instances (API host and OAuth host) and the one function that sends a request
// through them. All transport policy lives here: one deadline for the whole call, retries
// included (G1), idempotent-only retries (G2), no redirects (G4), the token only ever in the
// Authorization header (O8), every attempt counted by the rate limiter, and a cap on bodies.
import http from 'node:http';
import https from 'node:https';
import got from 'got';
import type { Agents, Got } from 'got';
import { errorFromAnswer, errorFromFailure, header, upstreamError } from './map-error.js';
import type { RawAnswer } from './map-error.js';
import { isUpstreamError, type UpstreamError } from './errors.js';
import { OPERATIONS, type Operation } from './operations.js';
import type { RateLimiter } from './limiter.js';
import type { CallOptions } from './types.js';

export const DEFAULT_USER_AGENT = 'thingiverse-likes/0.1 (+local app)';

/**
 * The most the client reads of any answer: 4 MiB. A page of 100 list items is about 300 KB
 * and a liked-ids list of 10,000 ids about 80 KB, so this leaves a wide margin while bounding
 * what one answer can cost (memory, JSON.parse time: about 30 ms for 4 MiB). It also bounds
 * likesids: at most about 450,000 ids; a longer list is refused as too_large, not parsed.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const RETRY_STATUS_CODES = new Set([408, 429, 500, 502, 503, 504, 521, 522, 524]);
// got's default list: failures where trying again can help.
const RETRY_ERROR_CODES = new Set(['ETIMEDOUT', 'ECONNRESET', 'EADDRINUSE', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EAI_AGAIN']);
const BACKOFF_LIMIT_MS = 2_000;

function assertBaseUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`${what} must be an absolute URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${what} must be http(s).`);
  return url.href;
}

/**
 * Keep-alive agents of our own: every upstream call would otherwise pay a TCP (and TLS)
 * handshake, which on the real API costs more than our whole request. Idle sockets are
 * unref'd by Node, so they never hold the process open.
 */
export function createAgents(): Agents {
  const opts = { keepAlive: true, scheduling: 'lifo' as const, timeout: 5_000 };
  return { http: new http.Agent(opts), https: new https.Agent(opts) };
}

/** got does transport only: retries, timeouts and the body cap are send()'s. */
export function createHttp(baseUrl: string, what: string, userAgent: string, agent: Agents = createAgents()): Got {
  return got.extend({
    prefixUrl: assertBaseUrl(baseUrl, what),
    agent,
    retry: { limit: 0 },
    followRedirect: false,
    // Statuses are mapped by errorFromAnswer; bodies are parsed by us, so a truncated JSON or
    // an HTML page is a bad_response, not a got ParseError.
    throwHttpErrors: false,
    headers: { accept: 'application/json', 'user-agent': userAgent },
  });
}

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
}

export interface SendOptions {
  op: Operation;
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the instance's prefixUrl, built from a fixed template with validated parts. */
  path: string;
  /** Limiter key of the credential making the call. */
  key: string;
  token?: string;
  searchParams?: Record<string, string | number>;
  form?: Record<string, string>;
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
      answer = await once(http, t, opts, timeout);
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
    await new Promise((resolve) => setTimeout(resolve, delay).unref());
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

/** One request; the body is read up to maxBodyBytes and refused beyond, never buffered whole. */
async function once(http: Got, t: Transport, opts: SendOptions, timeoutMs: number): Promise<RawAnswer> {
  const stream = http.stream(opts.path, {
    method: opts.method,
    headers: opts.token === undefined ? {} : { authorization: `Bearer ${opts.token}` },
    ...(opts.searchParams ? { searchParams: opts.searchParams } : {}),
    // A stream POST waits for a body to be written: an empty one for like (no form).
    ...(opts.form ? { form: opts.form } : opts.method === 'POST' ? { body: '' } : {}),
    timeout: { request: timeoutMs },
  });
  try {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      stream.once('response', resolve);
      stream.once('error', reject);
    });
    const tooLarge = () => upstreamError('bad_response', opts.op, { status: res.statusCode, detail: 'too_large', ambiguous: OPERATIONS[opts.op].write });
    if (Number(res.headers['content-length'] ?? 0) > t.maxBodyBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > t.maxBodyBytes) throw tooLarge();
      chunks.push(chunk);
    }
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
  } finally {
    stream.destroy();
  }
}

/** A failure without an answer that is worth another try: a timeout or one of got's codes. */
function isRetryableFailure(err: unknown): boolean {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; code?: unknown };
  return e.name === 'TimeoutError' || (typeof e.code === 'string' && RETRY_ERROR_CODES.has(e.code));
}

/** JSON.parse that reports an HTML page, plain text or a truncated body as { ok: false } instead of throwing. */
export function parseJsonBody(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}
