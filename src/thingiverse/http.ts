// The got instances (API host and OAuth host) and one request through them: no redirects
// (G4), the token only ever in the Authorization header (O8), and a cap on what is read.
// Retries, the deadline and the rate limiter are send.ts's.
import http from 'node:http';
import https from 'node:https';
import got from 'got';
import type { Agents, Got } from 'got';
import { upstreamError } from './map-error.js';
import type { RawAnswer } from './map-error.js';
import { OPERATIONS, type Operation } from './operations.js';

export const DEFAULT_USER_AGENT = 'thingiverse-likes/0.1 (+local app)';

/**
 * The most the client reads of any answer: 4 MiB. A page of 100 list items is about 300 KB
 * and a liked-ids list of 10,000 ids about 80 KB, so this leaves a wide margin while bounding
 * what one answer can cost (memory, JSON.parse time: about 30 ms for 4 MiB). It also bounds
 * likesids: at most about 450,000 ids; a longer list is refused as too_large, not parsed.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;


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

export interface OnceOptions {
  op: Operation;
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the instance's prefixUrl, built from a fixed template with validated parts. */
  path: string;
  token?: string;
  searchParams?: Record<string, string | number>;
  form?: Record<string, string>;
}

/** One request; the body is read up to maxBodyBytes and refused beyond, never buffered whole. */
export async function once(instance: Got, opts: OnceOptions, maxBodyBytes: number, timeoutMs: number): Promise<RawAnswer> {
  const stream = instance.stream(opts.path, {
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
    if (Number(res.headers['content-length'] ?? 0) > maxBodyBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBodyBytes) throw tooLarge();
      chunks.push(chunk);
    }
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
  } finally {
    stream.destroy();
  }
}

/** JSON.parse that reports an HTML page, plain text or a truncated body as { ok: false } instead of throwing. */
export function parseJsonBody(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}
