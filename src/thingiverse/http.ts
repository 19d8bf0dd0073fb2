// The two got instances (API host and OAuth host) and the one function that sends a request
// through them. All transport policy lives here: timeouts (G1), idempotent-only retries
// (G2), no redirects (G4), and the token only ever in the Authorization header (O8).
import http from 'node:http';
import https from 'node:https';
import got from 'got';
import type { Agents, Got, RetryObject } from 'got';
import { errorFromAnswer, errorFromFailure } from './map-error.js';
import type { CallContext, RawAnswer } from './map-error.js';
import type { ClientOptions } from './types.js';

export const DEFAULT_USER_AGENT = 'thingiverse-likes/0.1 (+local app)';
const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504, 521, 522, 524];

/**
 * got retries 429 with its own 1 s/2 s backoff when there is no Retry-After. The real limit
 * is a 5-minute window, so those retries would only burn budget: give up at once instead.
 * computedValue is got's verdict (0 = no retry, e.g. POST or Retry-After above the cap).
 */
function retryDelay({ computedValue, retryAfter, error }: RetryObject): number {
  if (computedValue === 0) return 0;
  const status = error.response?.statusCode;
  if ((status === 429 || status === 420) && retryAfter === undefined) return 0;
  return computedValue;
}

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
 * handshake, which on the real API costs more than our whole request. Node 20's global
 * agent happens to keep connections alive too, but it is process-wide mutable state; these
 * are the client's own. Idle sockets are unref'd by Node, so they never hold the process
 * open, and each one is dropped a second before the server's Keep-Alive hint to avoid reuse races.
 */
export function createAgents(): Agents {
  const opts = { keepAlive: true, scheduling: 'lifo' as const, timeout: 5_000 };
  return { http: new http.Agent(opts), https: new https.Agent(opts) };
}

export function createHttp(options: ClientOptions, prefix: 'api' | 'auth', agent: Agents = createAgents()): Got {
  const prefixUrl = assertBaseUrl(prefix === 'api' ? options.apiUrl : options.authUrl, `${prefix}Url`);
  return got.extend({
    prefixUrl,
    agent,
    timeout: { request: options.timeoutMs ?? 10_000 },
    retry: {
      // The OAuth host only gets POSTs, which are never retried; 0 makes that explicit.
      limit: prefix === 'api' ? (options.retryLimit ?? 2) : 0,
      methods: ['GET', 'DELETE'],
      statusCodes: RETRY_STATUS_CODES,
      maxRetryAfter: options.maxRetryAfterMs ?? 5_000,
      backoffLimit: 2_000,
      calculateDelay: retryDelay,
    },
    followRedirect: false,
    // Statuses are mapped by errorFromAnswer; got still retries them before resolving.
    throwHttpErrors: false,
    // Bodies are parsed by us, so a truncated JSON or an HTML page is a bad_response, not a got ParseError.
    responseType: 'text',
    headers: {
      accept: 'application/json',
      'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
    },
  });
}

export interface SendOptions extends CallContext {
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the instance's prefixUrl, built from a fixed template with validated parts. */
  path: string;
  token?: string;
  searchParams?: Record<string, number>;
  form?: Record<string, string>;
}

/** Resolves with a 2xx answer; anything else rejects with an UpstreamError. */
export async function send(http: Got, opts: SendOptions): Promise<RawAnswer> {
  let answer: RawAnswer;
  try {
    const res = await http(opts.path, {
      method: opts.method,
      headers: opts.token === undefined ? {} : { authorization: `Bearer ${opts.token}` },
      ...(opts.searchParams ? { searchParams: opts.searchParams } : {}),
      ...(opts.form ? { form: opts.form } : {}),
      responseType: 'text',
    });
    answer = { status: res.statusCode, headers: res.headers, body: res.body };
  } catch (err) {
    // got's error carries the request options (headers included): never rethrow or wrap it (L1).
    throw errorFromFailure(err, opts);
  }
  const failure = errorFromAnswer(answer, opts);
  if (failure) throw failure;
  return answer;
}

/** JSON.parse that reports an HTML page, plain text or a truncated body as { ok: false } instead of throwing. */
export function parseJsonBody(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}
