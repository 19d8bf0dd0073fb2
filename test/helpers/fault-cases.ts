// The fault table for the fault suites: every upstream failure the issue lists, and what the
// app must answer for it. Shared by faults-pages, faults-writes and faults-login.
import type { FaultRule } from '../../src/sandbox/types.js';

/**
 * Small client timeout so hangs end fast; latencies are set on either side of it. It is the
 * whole wait, retries included (G1), and a plain page view makes two upstream calls: 300 ms
 * was exceeded by a healthy request on a busy 2-core CI machine (three jest workers).
 */
export const TIMEOUT_MS = 600;
export const SLOW_MS = 1200;

export type Outcome = 'ok' | 'timeout' | 'unavailable' | 'bad_response' | 'rate_limited' | 'unauthorized';

export interface FaultCase {
  name: string;
  /** Applied with the route under test and `times: 1`. */
  rule?: Omit<FaultRule, 'route' | 'times'>;
  /** Revoke the session's token instead (app routes; login steps use `rule`, a 401). */
  revoke?: boolean;
  /** Stop the sandbox for the request, then start it again on the same port. */
  stop?: boolean;
  outcome: Outcome;
}

export const FAULTS: FaultCase[] = [
  { name: 'latency below the client timeout', rule: { kind: 'latency', ms: 50 }, outcome: 'ok' },
  { name: 'latency above the client timeout', rule: { kind: 'latency', ms: SLOW_MS }, outcome: 'timeout' },
  { name: 'a hang', rule: { kind: 'hang', ms: 1500 }, outcome: 'timeout' },
  { name: 'a reset connection', rule: { kind: 'reset' }, outcome: 'unavailable' },
  { name: '500', rule: { kind: 'status', status: 500 }, outcome: 'unavailable' },
  { name: '502', rule: { kind: 'status', status: 502 }, outcome: 'unavailable' },
  { name: '503', rule: { kind: 'status', status: 503 }, outcome: 'unavailable' },
  // ms sets Retry-After to 1 s, so the per-user backoff it starts is short.
  { name: '429 with the plain-text body', rule: { kind: 'ratelimit', ms: 1000 }, outcome: 'rate_limited' },
  { name: 'a Cloudflare HTML 403', rule: { kind: 'html403' }, outcome: 'unavailable' },
  { name: 'malformed JSON', rule: { kind: 'malformed' }, outcome: 'bad_response' },
  { name: 'the token revoked mid-session (401)', revoke: true, rule: { kind: 'status', status: 401 }, outcome: 'unauthorized' },
  { name: 'the sandbox stopped (then restarted)', stop: true, outcome: 'unavailable' },
];

export interface Expected {
  status: number;
  /** Error kind in the JSON answer and the log line (undefined on success). */
  kind?: string;
  message?: RegExp;
  /** Still logged in afterwards. */
  loggedIn: boolean;
  /** JSON `unconfirmed: true`: a write that may or may not have happened. */
  unconfirmed?: boolean;
}

const MESSAGES: Record<Exclude<Outcome, 'ok'>, RegExp> = {
  timeout: /did not answer in time/,
  unavailable: /not answering right now/,
  bad_response: /could not read/,
  rate_limited: /try again in \d+ seconds?/,
  unauthorized: /no longer valid, please log in again/,
};

const STATUS: Record<Exclude<Outcome, 'ok'>, number> = { timeout: 504, unavailable: 502, bad_response: 502, rate_limited: 429, unauthorized: 401 };

export function expected(fault: FaultCase, route: { kind: 'page' | 'write' | 'login'; success: number }): Expected {
  const outcome = fault.outcome;
  if (outcome === 'ok') return { status: route.success, loggedIn: true };
  if (route.kind === 'login' && outcome === 'unauthorized') {
    return { status: 400, kind: 'unauthorized', message: /did not accept/, loggedIn: false };
  }
  // A timed-out write may still land upstream after the read-back: the app says so.
  const unconfirmed = route.kind === 'write' && outcome === 'timeout';
  return {
    status: STATUS[outcome],
    kind: outcome,
    message: unconfirmed ? /could not confirm/ : MESSAGES[outcome],
    loggedIn: route.kind !== 'login' && outcome !== 'unauthorized',
    unconfirmed,
  };
}
