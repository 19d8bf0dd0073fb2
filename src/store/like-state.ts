// What the app believes each user has liked: a snapshot of /users/{name}/likesids kept in
// SQLite and updated by every confirmed like/unlike. A page of 30 cards then costs one
// indexed lookup, whatever the size of the user's like history (10 or 10,000 likes), and
// no upstream call while the snapshot is fresh.
import type { Db } from './db.js';
import { WriteBehind } from './write-behind.js';

export class LikeState {
  private readonly stmts;
  /**
   * Per user, bumped by every change (confirmed like/unlike, invalidation): a liked-ids read
   * that started before a change must not overwrite it. In memory: reads do not outlive the process.
   */
  private readonly changes = new Map<number, number>();
  /** Writes the database refused as busy, retried later in order per user (write-behind.ts). */
  private readonly writes = new WriteBehind();
  /** A user's snapshot held in memory while writes of theirs wait for the database. */
  private readonly memory = new Map<number, Set<number>>();

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    db.exec(`CREATE TABLE IF NOT EXISTS liked (user_id INTEGER NOT NULL, thing_id INTEGER NOT NULL,
      PRIMARY KEY (user_id, thing_id)) STRICT, WITHOUT ROWID`);
    db.exec('CREATE TABLE IF NOT EXISTS liked_loaded (user_id INTEGER PRIMARY KEY, loaded_at INTEGER NOT NULL) STRICT');
    this.stmts = {
      loadedAt: db.prepare<[number], { loaded_at: number }>('SELECT loaded_at FROM liked_loaded WHERE user_id = ?'),
      markLoaded: db.prepare('INSERT INTO liked_loaded (user_id, loaded_at) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET loaded_at = excluded.loaded_at'),
      clearUser: db.prepare('DELETE FROM liked WHERE user_id = ?'),
      forget: db.prepare('DELETE FROM liked_loaded WHERE user_id = ?'),
      users: db.prepare<[], { user_id: number }>('SELECT user_id FROM liked_loaded UNION SELECT DISTINCT user_id FROM liked'),
      clearAll: db.prepare('DELETE FROM liked'),
      add: db.prepare('INSERT OR IGNORE INTO liked (user_id, thing_id) VALUES (?, ?)'),
      remove: db.prepare('DELETE FROM liked WHERE user_id = ? AND thing_id = ?'),
      // One statement for a whole page of ids (a JSON array), not one per card.
      among: db.prepare<[number, string], { thing_id: number }>(
        'SELECT thing_id FROM liked WHERE user_id = ? AND thing_id IN (SELECT value FROM json_each(?))'),
    };
  }

  /**
   * When each user's snapshot was loaded, mirrored from liked_loaded: every page view asks,
   * and this process is the table's only writer. 0 = known to have none.
   */
  private readonly loadedAt = new Map<number, number>();

  /** True when a snapshot exists that is younger than maxAgeMs. */
  isFresh(userId: number, maxAgeMs: number): boolean {
    let at = this.loadedAt.get(userId);
    if (at === undefined) {
      at = this.stmts.loadedAt.get(userId)?.loaded_at ?? 0;
      if (this.loadedAt.size >= 10_000) this.loadedAt.clear(); // a bound, not a cache policy
      this.loadedAt.set(userId, at);
    }
    return at !== 0 && this.now() - at < maxAgeMs;
  }

  /** Pass to replace() as `readSince`, taken before the liked ids are read. */
  version(userId: number): number {
    return this.changes.get(userId) ?? 0;
  }

  private bump(userId: number): void {
    this.changes.set(userId, this.version(userId) + 1);
  }

  /**
   * The whole snapshot from a liked-ids read. With `readSince`, a read older than the last
   * change is dropped (returns false) and the snapshot stays due for a fresh read.
   */
  replace(userId: number, thingIds: readonly number[], readSince?: number): boolean {
    if (readSince !== undefined && readSince !== this.version(userId)) return false;
    const at = this.now();
    const written = this.writes.run(group(userId), () => this.db.transaction(() => {
      this.stmts.clearUser.run(userId);
      for (const id of thingIds) this.stmts.add.run(userId, id);
      this.stmts.markLoaded.run(userId, at);
    })());
    if (written) this.memory.delete(userId);
    else this.memory.set(userId, new Set(thingIds));
    this.loadedAt.set(userId, at);
    return true;
  }

  /** Drop the snapshot so the next page view reads it again (after an uncertain write). */
  invalidate(userId: number): void {
    this.bump(userId);
    this.memory.delete(userId);
    this.loadedAt.set(userId, 0);
    this.writes.run(group(userId), () => this.stmts.forget.run(userId));
  }

  /**
   * invalidate() for every user with a snapshot, and their rows gone (Services.forgetUpstream).
   * Bumping each version also drops a liked-ids read still on its way with the old world.
   */
  forgetAll(): void {
    const users = new Set([...this.loadedAt.keys(), ...this.memory.keys(), ...this.stmts.users.all().map((r) => r.user_id)]);
    for (const userId of users) this.invalidate(userId);
    this.loadedAt.clear();
    this.writes.run('all', () => this.stmts.clearAll.run());
  }

  /**
   * A confirmed like/unlike. False when the database could not take it now (busy): it is kept
   * and retried, and until then this user's snapshot counts as stale unless held in memory.
   */
  set(userId: number, thingId: number, liked: boolean): boolean {
    this.bump(userId);
    this.memory.get(userId)?.[liked ? 'add' : 'delete'](thingId);
    const written = this.writes.run(group(userId), () => {
      if (liked) this.stmts.add.run(userId, thingId);
      else this.stmts.remove.run(userId, thingId);
    });
    if (!written && !this.memory.has(userId)) this.loadedAt.set(userId, 0);
    return written;
  }

  /** The subset of thingIds the user has liked. */
  likedAmong(userId: number, thingIds: readonly number[]): Set<number> {
    if (thingIds.length === 0) return new Set();
    const held = this.memory.get(userId);
    if (held && this.writes.waiting(group(userId))) return new Set(thingIds.filter((id) => held.has(id)));
    this.memory.delete(userId);
    return new Set(this.stmts.among.all(userId, JSON.stringify(thingIds)).map((r) => r.thing_id));
  }
}

const group = (userId: number) => `user:${userId}`;
