// A local copy of each user's liked things, in the app's SQLite file: what the liked page
// searches, sorts and pages, and what an export streams, without asking Thingiverse for
// every view. Filled page by page from /users/me/likes (src/likes/index-refresh.ts) and kept
// current by every confirmed like and unlike made here.
// `ord` is the place in Thingiverse's order (most recent like first): a refresh numbers the
// rows 0, 1, 2…; a like made here goes above the current top (so it may be negative).
// `gen` marks the refresh that last saw a row: when a refresh ends, rows it did not see are gone.
import type { Db } from './db.js';

export type LikedSort = 'recent' | 'name' | 'likes' | 'creator';

export interface IndexedThing {
  id: number;
  /** null until a refresh has seen the thing (liked here, details not yet read). */
  name: string | null;
  url: string | null;
  creator: string | null;
  thumbnail: string | null;
  likeCount: number | null;
  firstSeen: number;
}

/** A row as the export reads it: with its place in Thingiverse's order (1 = most recent). */
export interface PositionedThing extends IndexedThing { position: number }

export interface IndexMeta {
  /** When a refresh last completed (ms), or null: never. */
  refreshedAt: number | null;
  /** True when a refresh could not finish cleanly (a full one is due). */
  stale: boolean;
  /** Likes made here whose details (name, creator…) no refresh has read yet. */
  missingDetails: number;
}

export interface LikedQuery { q?: string; sort?: LikedSort; page: number; perPage: number }
export interface LikedPage { items: IndexedThing[]; total: number; matching: number }

export interface SeenThing { id: number; name: string; url: string | null; creator: string | null; thumbnail: string | null; likeCount: number | null }

const ORDER: Record<LikedSort, string> = {
  recent: 'ord ASC',
  name: 'name COLLATE NOCASE ASC, ord ASC',
  likes: 'like_count DESC, ord ASC',
  creator: 'creator COLLATE NOCASE ASC, ord ASC',
};

/** Words of a search, as LIKE patterns (% and _ typed by the user match themselves). */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8).map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

type Row = { thing_id: number; name: string | null; url: string | null; creator: string | null; thumbnail: string | null; like_count: number | null; first_seen: number; ord: number };
const COLUMNS = 'thing_id, name, url, creator, thumbnail, like_count, first_seen, ord';

export class LikedIndex {
  private readonly stmts;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    db.exec(`CREATE TABLE IF NOT EXISTS liked_index (user_id INTEGER NOT NULL, thing_id INTEGER NOT NULL,
      name TEXT, url TEXT, creator TEXT, thumbnail TEXT, like_count INTEGER, ord INTEGER NOT NULL,
      first_seen INTEGER NOT NULL, gen INTEGER NOT NULL, words TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (user_id, thing_id)) STRICT, WITHOUT ROWID`);
    // One index per sort: a page of any sort is an index walk, never a sort of all rows.
    db.exec(`CREATE INDEX IF NOT EXISTS liked_index_ord ON liked_index (user_id, ord);
      CREATE INDEX IF NOT EXISTS liked_index_name ON liked_index (user_id, name COLLATE NOCASE, ord);
      CREATE INDEX IF NOT EXISTS liked_index_likes ON liked_index (user_id, like_count DESC, ord);
      CREATE INDEX IF NOT EXISTS liked_index_creator ON liked_index (user_id, creator COLLATE NOCASE, ord);
      CREATE INDEX IF NOT EXISTS liked_index_missing ON liked_index (user_id) WHERE name IS NULL`);
    db.exec(`CREATE TABLE IF NOT EXISTS liked_index_meta (user_id INTEGER PRIMARY KEY, refreshed_at INTEGER,
      stale INTEGER NOT NULL DEFAULT 0, gen INTEGER NOT NULL DEFAULT 0) STRICT`);
    this.stmts = {
      meta: db.prepare<[number], { refreshed_at: number | null; stale: number; gen: number }>('SELECT refreshed_at, stale, gen FROM liked_index_meta WHERE user_id = ?'),
      ensureMeta: db.prepare('INSERT OR IGNORE INTO liked_index_meta (user_id) VALUES (?)'),
      setGen: db.prepare('UPDATE liked_index_meta SET gen = ? WHERE user_id = ?'),
      markStale: db.prepare('UPDATE liked_index_meta SET stale = 1 WHERE user_id = ?'),
      finish: db.prepare('UPDATE liked_index_meta SET refreshed_at = ?, stale = 0 WHERE user_id = ?'),
      upsert: db.prepare(`INSERT INTO liked_index (user_id, thing_id, name, url, creator, thumbnail, like_count, ord, first_seen, gen, words)
        VALUES (@user, @id, @name, @url, @creator, @thumbnail, @likeCount, @ord, @now, @gen, @words)
        ON CONFLICT (user_id, thing_id) DO UPDATE SET name = excluded.name, url = excluded.url, creator = excluded.creator,
          thumbnail = excluded.thumbnail, like_count = excluded.like_count, ord = excluded.ord, gen = excluded.gen, words = excluded.words`),
      addTop: db.prepare(`INSERT INTO liked_index (user_id, thing_id, ord, first_seen, gen)
        VALUES (?, ?, (SELECT COALESCE(MIN(ord), 0) - 1 FROM liked_index WHERE user_id = ?), ?, ?) ON CONFLICT DO NOTHING`),
      remove: db.prepare('DELETE FROM liked_index WHERE user_id = ? AND thing_id = ?'),
      missing: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM liked_index WHERE user_id = ? AND name IS NULL'),
      fill: db.prepare(`UPDATE liked_index SET name = @name, url = @url, creator = @creator, thumbnail = @thumbnail,
        like_count = @likeCount, words = @words WHERE user_id = @user AND thing_id = @id AND name IS NULL`),
      dropUnseen: db.prepare('DELETE FROM liked_index WHERE user_id = ? AND gen <> ?'),
      count: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM liked_index WHERE user_id = ?'),
      ids: db.prepare<[number], { thing_id: number }>('SELECT thing_id FROM liked_index WHERE user_id = ?'),
    };
  }

  meta(userId: number): IndexMeta {
    const m = this.stmts.meta.get(userId);
    return { refreshedAt: m?.refreshed_at ?? null, stale: m?.stale === 1, missingDetails: this.stmts.missing.get(userId)!.n };
  }

  /** A refresh begins: rows it writes carry the returned generation. */
  beginRefresh(userId: number): number {
    this.stmts.ensureMeta.run(userId);
    const gen = (this.stmts.meta.get(userId)?.gen ?? 0) + 1;
    this.stmts.setGen.run(gen, userId);
    return gen;
  }

  /** One page of a refresh, at positions from `offset` on; `skip` = unliked here meanwhile. */
  writePage(userId: number, gen: number, offset: number, things: readonly SeenThing[], skip: ReadonlySet<number> = new Set()): void {
    const now = this.now();
    this.db.transaction(() => {
      things.forEach((t, i) => {
        if (skip.has(t.id)) return;
        this.stmts.upsert.run({ user: userId, id: t.id, name: t.name, url: t.url, creator: t.creator, thumbnail: t.thumbnail, likeCount: t.likeCount, ord: offset + i, now, gen, words: wordsOf(t) });
      });
    })();
  }

  /** The refresh saw every page: rows it did not see were unliked elsewhere. `clean` = nothing changed meanwhile. */
  endRefresh(userId: number, gen: number, clean: boolean): void {
    this.db.transaction(() => {
      if (clean) {
        this.stmts.dropUnseen.run(userId, gen);
        this.stmts.finish.run(this.now(), userId);
      } else {
        this.stmts.markStale.run(userId);
      }
    })();
  }

  /** Thingiverse confirmed a like/unlike made here. A like's details arrive with the next top-up (fillDetails). */
  applyChange(userId: number, thingId: number, liked: boolean): void {
    if (!liked) return void this.stmts.remove.run(userId, thingId);
    this.stmts.ensureMeta.run(userId);
    const gen = this.stmts.meta.get(userId)!.gen;
    this.stmts.addTop.run(userId, thingId, userId, this.now(), gen);
  }

  /** Details for likes made here (from the top of /likes); rows that have them, and their order, stay as they are. */
  fillDetails(userId: number, things: readonly SeenThing[]): void {
    this.db.transaction(() => {
      for (const t of things) this.stmts.fill.run({ user: userId, ...t, words: wordsOf(t) });
    })();
  }

  /** A full refresh is due (a top-up could not find everything). */
  markStale(userId: number): void {
    this.stmts.ensureMeta.run(userId);
    this.stmts.markStale.run(userId);
  }

  /** Confirmed that Thingiverse has exactly the indexed ids (a likesids check). */
  confirm(userId: number): void {
    this.stmts.finish.run(this.now(), userId);
  }

  /** Every user's rows and refresh state gone, as if never filled (IndexRefresher.forgetAll). */
  clear(): void {
    this.db.transaction(() => this.db.exec('DELETE FROM liked_index; DELETE FROM liked_index_meta'))();
  }

  count(userId: number): number {
    return this.stmts.count.get(userId)!.n;
  }

  ids(userId: number): Set<number> {
    return new Set(this.stmts.ids.all(userId).map((r) => r.thing_id));
  }

  private readonly cache = new Map<string, ReturnType<Db['prepare']>>();
  private prepared<R>(sql: string) {
    let stmt = this.cache.get(sql);
    if (!stmt) this.cache.set(sql, (stmt = this.db.prepare(sql)));
    return stmt as unknown as { all(...p: unknown[]): R[]; get(...p: unknown[]): R | undefined };
  }

  /** The SQL of a page query, shared by query() and the query-plan test. */
  static sql(words: number, sort: LikedSort): { page: string; matching: string } {
    const where = ['user_id = ?', ...Array.from({ length: words }, () => "words LIKE ? ESCAPE '\\'")].join(' AND ');
    return {
      page: `SELECT ${COLUMNS} FROM liked_index WHERE ${where} ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?`,
      matching: `SELECT COUNT(*) AS n FROM liked_index WHERE ${where}`,
    };
  }

  query(userId: number, query: LikedQuery): LikedPage {
    const words = searchWords(query.q);
    const sql = LikedIndex.sql(words.length, query.sort ?? 'recent');
    const rows = this.prepared<Row>(sql.page).all(userId, ...words, query.perPage, (query.page - 1) * query.perPage);
    const total = this.count(userId);
    const matching = words.length === 0 ? total : this.prepared<{ n: number }>(sql.matching).get(userId, ...words)!.n;
    return { items: rows.map(toThing), total, matching };
  }

  /**
   * Every row, most recent first, read in batches (keyset on ord, thing_id) so 10,000 likes
   * are never in memory at once.
   */
  *all(userId: number, batch = 500): Generator<PositionedThing> {
    const stmt = this.prepared<Row>(`SELECT ${COLUMNS} FROM liked_index
      WHERE user_id = ? AND (ord > ? OR (ord = ? AND thing_id > ?)) ORDER BY ord, thing_id LIMIT ?`);
    let after = { ord: Number.MIN_SAFE_INTEGER, id: 0 };
    let position = 0;
    for (;;) {
      const rows = stmt.all(userId, after.ord, after.ord, after.id, batch);
      for (const r of rows) yield { ...toThing(r), position: ++position };
      if (rows.length < batch) return;
      const last = rows[rows.length - 1]!;
      after = { ord: last.ord, id: last.thing_id };
    }
  }
}

/** What a search looks in: the name and the creator, lower-cased. */
const wordsOf = (t: SeenThing) => `${t.name} ${t.creator ?? ''}`.toLowerCase();

function toThing(r: Row): IndexedThing {
  return { id: r.thing_id, name: r.name, url: r.url, creator: r.creator, thumbnail: r.thumbnail, likeCount: r.like_count, firstSeen: r.first_seen };
}
