// The client's own rate limiter: every request that leaves the client (got retries, login
// calls and code exchange included) takes a slot for the credential that makes it, so the
// count is what Thingiverse sees. Thingiverse allows 300 requests per 5 minutes; a sliding
// log is stricter than any fixed window of that length, so staying under it here also stays
// under the real (unknown-shape) window. After a 429 nothing goes out with that credential
// until the retry time. In memory: a restart forgets it, and the next 429 teaches it again.
import { createHash } from 'node:crypto';
import { upstreamError } from './map-error.js';
import type { Operation } from './operations.js';
import { REAL_CLOCK } from './clock.js';

export const THINGIVERSE_LIMIT = { limit: 300, windowMs: 5 * 60_000 };
const MAX_KEYS = 10_000;

/** The limiter key for a credential: never the token itself, only a SHA-256 prefix. */
export function credentialKey(token: string, appToken?: string): string {
  if (appToken !== undefined && token === appToken) return 'app';
  return `t:${createHash('sha256').update(token).digest('hex').slice(0, 24)}`;
}

export interface TakeOptions {
  /** Slots of the window this call must leave free (a bulk job leaves room for page views). */
  reserve?: number;
  /** Epoch ms: wait for a slot only if one frees before this; otherwise refuse at once. */
  deadline?: number;
}

export interface LimiterOptions {
  limit?: number;
  windowMs?: number;
  /** The client's clock (ClientOptions.clock), so a hold ends when the client's retry wait does. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly calls = new Map<string, number[]>();
  private readonly blocked = new Map<string, number>();

  constructor(opts: LimiterOptions = {}) {
    this.limit = opts.limit ?? THINGIVERSE_LIMIT.limit;
    this.windowMs = opts.windowMs ?? THINGIVERSE_LIMIT.windowMs;
    this.now = opts.now ?? REAL_CLOCK.now;
    this.sleep = opts.sleep ?? REAL_CLOCK.sleep;
  }

  /** Requests sent with this credential within the window. */
  used(key: string): number {
    return this.recent(key).length;
  }

  /** Calls a caller keeping `reserve` free may still make in this window. */
  remaining(key: string, reserve = 0): number {
    return Math.max(0, this.limit - reserve - this.used(key));
  }

  /** Until when Thingiverse told us to wait (a 429), or null. */
  blockedUntil(key: string): number | null {
    const until = this.blocked.get(key);
    if (until === undefined) return null;
    if (until > this.now()) return until;
    this.blocked.delete(key);
    return null;
  }

  /** When the next call keeping `reserve` free may go out (now when it may). */
  nextFreeAt(key: string, reserve = 0): number {
    const now = this.now();
    const list = this.recent(key);
    const allowed = Math.max(1, this.limit - reserve);
    // The call that has to leave the window before one more fits.
    const windowFree = list.length < allowed ? now : list[list.length - allowed]! + this.windowMs;
    return Math.max(now, windowFree, this.blockedUntil(key) ?? now);
  }

  /** How long until that call may go out (0 = now), on the limiter's own clock. */
  waitMs(key: string, reserve = 0): number {
    return this.nextFreeAt(key, reserve) - this.now();
  }

  /**
   * Take a slot now or learn when one frees: synchronous, so no other caller can slip in
   * between the check and the count. Returns null when taken.
   */
  tryTake(key: string, reserve = 0): number | null {
    const free = this.nextFreeAt(key, reserve);
    if (free > this.now()) return free;
    const list = this.recent(key);
    list.push(this.now());
    this.calls.set(key, list);
    if (this.calls.size > MAX_KEYS) this.sweep();
    return null;
  }

  /**
   * Take a slot, waiting for one while it frees before the deadline; otherwise throw a
   * rate_limited UpstreamError (status null: nothing was sent). After a 429 it refuses at
   * once: the user is told when to retry instead of waiting minutes for a page.
   */
  async take(key: string, op: Operation, opts: TakeOptions = {}): Promise<void> {
    for (;;) {
      const free = this.tryTake(key, opts.reserve ?? 0);
      if (free === null) return;
      const held = this.blockedUntil(key) !== null;
      if (held || opts.deadline === undefined || free > opts.deadline) {
        throw upstreamError('rate_limited', op, { retryAt: free, detail: 'held_back' });
      }
      await this.sleep(free - this.now());
    }
  }

  /** Thingiverse said 429: hold every call with this credential until retryAt. */
  holdUntil(key: string, retryAt: number): void {
    this.blocked.set(key, Math.max(retryAt, this.blocked.get(key) ?? 0));
  }

  /**
   * Forget every count and hold. Only for a test that resets the sandbox between tests: the
   * counts belong to tokens and a budget that no longer exist there.
   */
  clear(): void {
    this.calls.clear();
    this.blocked.clear();
  }

  private recent(key: string): number[] {
    const list = this.calls.get(key);
    if (!list) return [];
    const from = this.now() - this.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop]! <= from) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) this.calls.delete(key);
    return list;
  }

  private sweep(): void {
    for (const key of [...this.calls.keys()]) this.recent(key);
    for (const key of [...this.blocked.keys()]) this.blockedUntil(key);
  }
}
