// HTTP helpers for the bench: a plain request to 127.0.0.1 with the app's canonical Host
// header (Node 20 may resolve "localhost" to ::1, where nothing listens), logging a user in
// the way the browser does, autocannon runs summarised from the exact per-response times
// autocannon reports (its own histogram rounds to whole milliseconds), and a small closed
// loop for views that make parallel upstream calls.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { logInWithToken } from '../test/helpers/login.js';

export interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

export function request(port: number, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export async function sandboxToken(sandboxPort: number, username: string): Promise<string> {
  const res = await request(sandboxPort, 'POST', '/__sandbox/tokens', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) });
  if (res.status !== 201) throw new Error(`token for ${username}: ${res.status}`);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

export interface Session { cookie: string; csrf: string; token: string }

/** The shared login handshake (test/helpers/login.ts), then a page for the CSRF token. */
export async function login(app: { port: number; host: string }, sandboxPort: number, username: string): Promise<Session> {
  const token = await sandboxToken(sandboxPort, username);
  const cookie = await logInWithToken(`http://${app.host}`, token);
  const page = await request(app.port, 'GET', '/liked', { headers: { host: app.host, cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error(`no CSRF token for ${username}`);
  return { cookie, csrf, token };
}

export interface Measured {
  p50: number; p99: number; rps: number; ok: number; bad: number;
  /** Every request the target answered. */
  sent: number;
  /** Filled by callers that time something else than single responses (round trips). */
  extra?: number[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One autocannon run; latencies of 2xx answers only, the rest counted as bad. */
export async function cannon(opts: autocannon.Options): Promise<Measured> {
  const times: number[] = [];
  let bad = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) times.push(ms);
      else bad += 1;
    });
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rps: times.length / result.duration, ok: times.length, bad: bad + result.errors, sent: times.length + bad };
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

function get(url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: keepAlive }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

/**
 * What a page that makes several upstream calls at once waits for: `connections` loops, each
 * sending the calls of one "view" in parallel and timing until the last answer (autocannon
 * sends one request at a time per connection, so it cannot model this).
 */
export async function parallelLoad(base: string, headers: Record<string, string>, connections: number, seconds: number, next: () => string[]): Promise<Measured> {
  const times: number[] = [];
  let bad = 0;
  let sent = 0;
  const end = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const statuses = await Promise.all(next().map((p) => get(new URL(p, base), headers).catch(() => 0)));
      sent += statuses.length;
      if (statuses.every((s) => s >= 200 && s < 300)) times.push(performance.now() - t0);
      else bad += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rps: times.length / elapsed, ok: times.length, bad, sent };
}

/** A counter that hands out page numbers 1..n in turn, so concurrent requests ask for different pages. */
export function rotate(n: number): () => number {
  let i = 0;
  return () => (i++ % n) + 1;
}
