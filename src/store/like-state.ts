// What the app believes each user has liked: a snapshot of /users/{name}/likesids kept in
// SQLite and updated by every confirmed like/unlike. A page of 30 cards then costs 30 lookups
// in a set held in memory, whatever the size of the user's like history (10 or 10,000 likes),
// and no upstream call while the snapshot is fresh.
import type { Db } from './db.js';
import { WriteBehind } from './write-behind.js';

/** Liked ids held in memory for all users together (some 30 bytes each: about 6 MB). */
const MEMORY_IDS = 200_000;

export class LikeState {
  private readonly stmts;
  /**
   * Per user, bumped by every change (confirmed like/unlike, invalidation): a liked-ids read
   * that started before a change must not overwrite it. In memory: reads do not outlive the process.
   */
  private readonly changes = new Map<number, number>();
  /** Writes the database refused as busy, retried later in order per user (write-behind.ts). */
  private readonly writes = new WriteBehind();
  /**
   * Users' snapshots in memory, least recently viewed first: read from SQLite at a user's first
   * page view (or taken from replace()), then changed with every write below, since this process
   * is the table's only writer. A page view then asks no database: its query was a tenth of a
   * warm page's CPU. While writes of a user wait for the database, the held set is the truth.
   */
  private readonly memory = new Map<number, Set<number>>();
  /** The number of ids in `memory`, kept at most memoryIds. */
  private heldIds = 0;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now, private readonly memoryIds = MEMORY_IDS) {
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
      ids: db.prepare<[number, number], { thing_id: number }>('SELECT thing_id FROM liked WHERE user_id = ? LIMIT ?'),
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
    // Held even when not written (busy): then it is the truth until the write goes through.
    this.hold(userId, new Set(thingIds), !written);
    this.loadedAt.set(userId, at);
    return true;
  }

  /** Drop the snapshot so the next page view reads it again (after an uncertain write). */
  invalidate(userId: number): void {
    this.bump(userId);
    this.drop(userId);
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
    const held = this.memory.get(userId);
    if (held) {
      this.heldIds -= held.size;
      held[liked ? 'add' : 'delete'](thingId);
      this.heldIds += held.size;
    }
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
    const held = this.memory.get(userId) ?? this.load(userId);
    if (!held) return new Set(this.stmts.among.all(userId, JSON.stringify(thingIds)).map((r) => r.thing_id));
    this.memory.delete(userId); // most recently viewed: last to go
    this.memory.set(userId, held);
    return new Set(thingIds.filter((id) => held.has(id)));
  }

  /**
   * The user's rows as a held set, or undefined when they cannot be: more than memoryIds,
   * or writes of theirs waiting (the rows lack those until they go through).
   */
  private load(userId: number): Set<number> | undefined {
    if (this.writes.waiting(group(userId))) return undefined;
    const rows = this.stmts.ids.all(userId, this.memoryIds + 1);
    if (rows.length > this.memoryIds) return undefined;
    const ids = new Set(rows.map((r) => r.thing_id));
    this.hold(userId, ids);
    return ids;
  }

  /**
   * Holds a user's set, letting the least recently viewed go (not those with writes waiting).
   * `truth`: writes of the user are waiting, so the set is held even past the bound.
   */
  private hold(userId: number, ids: Set<number>, truth = false): void {
    this.drop(userId);
    if (ids.size > this.memoryIds && !truth) return;
    this.memory.set(userId, ids);
    this.heldIds += ids.size;
    for (const other of this.memory.keys()) {
      if (this.heldIds <= this.memoryIds) break;
      if (other !== userId && !this.writes.waiting(group(other))) this.drop(other);
    }
  }

  /** How many ids are held in memory (for the bound's test). */
  held(): number {
    return this.heldIds;
  }

  private drop(userId: number): void {
    const held = this.memory.get(userId);
    if (!held) return;
    this.heldIds -= held.size;
    this.memory.delete(userId);
  }
}

const group = (userId: number) => `user:${userId}`;
