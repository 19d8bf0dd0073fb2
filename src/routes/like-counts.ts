// Like counts that do not go back in time. A list cached for 30 s was read before a like
// this app confirmed, so its count is one short; the next read from Thingiverse has it.
// For each (user, thing) we keep the confirmed changes with their times, and a list read
// at time F gets, per user, "state now − state at F" added: exactly the changes it missed.
// Liking twice is no change; like then unlike within the window is a net zero.
export class LikeCounts {
  /** thing id → user id → the state before the first change we saw, and the changes. */
  private readonly changes = new Map<number, Map<number, { before: boolean; events: { at: number; liked: boolean }[] }>>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxThings = 5_000,
  ) {}

  private writes = 0;

  /** A like/unlike Thingiverse confirmed. */
  confirmed(userId: number, thingId: number, liked: boolean): void {
    if (++this.writes % 200 === 0) this.prune();
    let users = this.changes.get(thingId);
    if (!users) {
      if (this.changes.size >= this.maxThings) this.prune(true);
      users = new Map();
      this.changes.set(thingId, users);
    }
    const entry = users.get(userId) ?? { before: !liked, events: [] };
    entry.events.push({ at: this.now(), liked });
    users.set(userId, entry);
  }

  /** What to add to a count read from Thingiverse at `readAt` (ms). */
  delta(thingId: number, readAt: number): number {
    const users = this.changes.get(thingId);
    if (!users) return 0;
    let delta = 0;
    for (const { before, events } of users.values()) {
      const last = events[events.length - 1].liked;
      let then = before;
      for (const e of events) if (e.at <= readAt) then = e.liked;
      delta += Number(last) - Number(then);
    }
    return delta;
  }

  /** The count to show: null stays null (Thingiverse sent none, so we show none). */
  adjust(count: number | null, thingId: number, readAt: number): number | null {
    if (count === null) return null;
    return Math.max(0, count + this.delta(thingId, readAt));
  }

  /** Forget changes older than any read we could still be showing. */
  prune(force = false): void {
    const cutoff = this.now() - this.windowMs;
    for (const [thingId, users] of this.changes) {
      for (const [userId, entry] of users) {
        if (entry.events[entry.events.length - 1].at < cutoff) users.delete(userId);
      }
      if (users.size === 0) this.changes.delete(thingId);
    }
    // Still full after pruning: drop the oldest thing (Map order), a bound, not a policy.
    if (force && this.changes.size >= this.maxThings) this.changes.delete(this.changes.keys().next().value as number);
  }
}
