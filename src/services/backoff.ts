// After Thingiverse says "too many requests", stop sending that caller's requests until
// the retry time instead of hammering the API (issue 4). Keyed by user id (or 'app' for
// the App Token), in memory: a restart forgets it, and the next 429 teaches it again.
import { UpstreamError, isUpstreamError } from '../thingiverse/errors.js';
import type { RateBudget } from './budget.js';

export class Backoff {
  private readonly until = new Map<string, number>();

  /** Every call that goes out through run() is also counted in `budget` (issue 5). */
  constructor(
    private readonly now: () => number = Date.now,
    readonly budget?: RateBudget,
  ) {}

  /** Throws a rate_limited UpstreamError without any network call while the key is waiting. */
  check(key: string, operation: string): void {
    const retryAt = this.until.get(key);
    if (retryAt === undefined) return;
    if (retryAt <= this.now()) {
      this.until.delete(key);
      return;
    }
    throw new UpstreamError({ kind: 'rate_limited', message: 'Waiting for the Thingiverse rate limit to reset.', operation, retryAt });
  }

  /** Remember a rate limit reported by upstream. */
  note(key: string, err: unknown): void {
    if (isUpstreamError(err) && err.kind === 'rate_limited' && err.retryAt) {
      this.until.set(key, Math.max(err.retryAt, this.until.get(key) ?? 0));
    }
  }

  async run<T>(key: string, operation: string, call: () => Promise<T>): Promise<T> {
    this.check(key, operation);
    // Counted synchronously, before the first await: a bulk worker that checked the budget
    // and then calls through here cannot be overtaken by another worker in between.
    this.budget?.note(key);
    try {
      return await call();
    } catch (err) {
      this.note(key, err);
      throw err;
    }
  }
}
