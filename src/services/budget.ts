// What each caller has spent upstream in the last window (a sliding log), so work that can
// wait, like a bulk job, stays under Thingiverse's 300 requests per 5 minutes instead of
// finding the limit with a 429. A sliding window is stricter than any fixed window of the
// same length, so staying under it here also stays under the real (unknown-shape) window.
// In memory: a restart forgets it, and the Backoff still catches a 429 if one comes.
export const THINGIVERSE_LIMIT = { limit: 300, windowMs: 5 * 60_000 };

export class RateBudget {
  private readonly calls = new Map<string, number[]>();

  constructor(
    readonly limit = THINGIVERSE_LIMIT.limit,
    readonly windowMs = THINGIVERSE_LIMIT.windowMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** One call is being made for key. */
  note(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.calls.set(key, list);
    if (this.calls.size > 10_000) this.sweep();
  }

  /** Calls made for key within the window. */
  used(key: string): number {
    return this.recent(key).length;
  }

  /** How long until one more call fits while `reserve` calls stay free (0 = now). */
  waitMs(key: string, reserve = 0): number {
    const list = this.recent(key);
    const allowed = Math.max(1, this.limit - reserve);
    if (list.length < allowed) return 0;
    // The call that has to leave the window before we may send another one.
    return Math.max(1, list[list.length - allowed]! + this.windowMs - this.now());
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
  }
}
