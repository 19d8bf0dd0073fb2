// A local copy of each user's liked things, in the app's SQLite file: what the liked page
// searches, sorts and pages, and what an export streams, without asking Thingiverse for
// every view. Filled page by page from /users/me/likes (src/likes/index-refresh.ts) and kept
// current by every confirmed like and unlike made here.
// `ord` is the place in Thingiverse's order (most recent like first): a refresh numbers the
// rows 0, 1, 2…; a like made here goes above the current top (so it may be negative).
// `gen` marks the refresh that last saw a row: when a refresh ends, rows it did not see are gone.
// The tables, and the triggers that keep the row count and the search index with every write,
// are in liked-schema.ts; how a search uses that index is in liked-search.ts.
import type { Db } from './db.js';
import { createLikedSchema } from './liked-schema.js';
import { ENTRY_ROW, LikedSearch, USER_MATCHES, searchWords, type Filter } from './liked-search.js';

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

type Row = { thing_id: number; name: string | null; url: string | null; creator: string | null; thumbnail: string | null; like_count: number | null; first_seen: number; ord: number };
/** Rows per write statement (at most 11 parameters a row, far below SQLite's 32,766). */
const WRITE_CHUNK = 100;
const COLUMNS = 'thing_id, name, url, creator, thumbnail, like_count, first_seen, ord';

export class LikedIndex {
  private readonly stmts;
  private readonly search: LikedSearch;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    createLikedSchema(db);
    this.search = new LikedSearch(db);
    this.stmts = {
      meta: db.prepare<[number], { refreshed_at: number | null; stale: number; gen: number }>('SELECT refreshed_at, stale, gen FROM liked_index_meta WHERE user_id = ?'),
      ensureMeta: db.prepare('INSERT OR IGNORE INTO liked_index_meta (user_id) VALUES (?)'),
      setGen: db.prepare('UPDATE liked_index_meta SET gen = ? WHERE user_id = ?'),
      markStale: db.prepare('UPDATE liked_index_meta SET stale = 1 WHERE user_id = ?'),
      finish: db.prepare('UPDATE liked_index_meta SET refreshed_at = ?, stale = 0 WHERE user_id = ?'),
      addTop: db.prepare(`INSERT INTO liked_index (user_id, thing_id, ord, first_seen, gen)
        VALUES (?, ?, (SELECT COALESCE(MIN(ord), 0) - 1 FROM liked_index WHERE user_id = ?), ?, ?) ON CONFLICT DO NOTHING`),
      remove: db.prepare('DELETE FROM liked_index WHERE user_id = ? AND thing_id = ?'),
      missing: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM liked_index WHERE user_id = ? AND name IS NULL'),
      // Merges FTS5 segments (at most 64 pages of work) once two share a level: see writeRows.
      tidy: db.prepare("INSERT INTO liked_search (liked_search, rank) VALUES ('merge', 64)"),
      dropUnseen: db.prepare('DELETE FROM liked_index WHERE user_id = ? AND gen <> ?'),
      // Kept by triggers (liked-schema.ts): no count of 10,000 rows per page view.
      count: db.prepare<[number], { n: number }>('SELECT liked AS n FROM liked_index_meta WHERE user_id = ?'),
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
    const rows = things.map((t, i) => ({ t, ord: offset + i })).filter(({ t }) => !skip.has(t.id));
    this.search.changed(userId);
    this.writeRows(rows, (n) => `INSERT INTO liked_index (user_id, thing_id, name, url, creator, thumbnail, like_count, ord, first_seen, gen, words)
      VALUES ${Array(n).fill('(@user, ?, ?, ?, ?, ?, ?, ?, @now, @gen, ?)').join(', ')}
      ON CONFLICT (user_id, thing_id) DO UPDATE SET name = excluded.name, url = excluded.url, creator = excluded.creator,
        thumbnail = excluded.thumbnail, like_count = excluded.like_count, ord = excluded.ord, gen = excluded.gen, words = excluded.words`,
    ({ t, ord }) => [t.id, t.name, t.url, t.creator, t.thumbnail, t.likeCount, ord, wordsOf(t)], { user: userId, now, gen });
  }

  /** The refresh saw every page: rows it did not see were unliked elsewhere. `clean` = nothing changed meanwhile. */
  endRefresh(userId: number, gen: number, clean: boolean): void {
    this.search.changed(userId);
    this.db.transaction(() => {
      if (clean) {
        this.stmts.dropUnseen.run(userId, gen);
        this.stmts.finish.run(this.now(), userId);
        this.stmts.tidy.run();
      } else {
        this.stmts.markStale.run(userId);
      }
    })();
  }

  /** Thingiverse confirmed a like/unlike made here. A like's details arrive with the next top-up (fillDetails). */
  applyChange(userId: number, thingId: number, liked: boolean): void {
    this.search.changed(userId);
    this.db.transaction(() => {
      if (liked) {
        this.stmts.ensureMeta.run(userId);
        this.stmts.addTop.run(userId, thingId, userId, this.now(), this.stmts.meta.get(userId)!.gen);
      } else {
        this.stmts.remove.run(userId, thingId);
      }
      this.stmts.tidy.run();
    })();
  }

  /** Details for likes made here (from the top of /likes); rows that have them, and their order, stay as they are. */
  fillDetails(userId: number, things: readonly SeenThing[]): void {
    // The first of a repeated id wins, as it did when each row was filled in turn.
    const rows = [...new Map([...things].reverse().map((t) => [t.id, { t }])).values()];
    this.search.changed(userId);
    this.writeRows(rows, (n) => `WITH d (id, name, url, creator, thumbnail, like_count, words) AS (VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')})
      UPDATE liked_index SET name = d.name, url = d.url, creator = d.creator, thumbnail = d.thumbnail, like_count = d.like_count, words = d.words
      FROM d WHERE liked_index.user_id = @user AND liked_index.thing_id = d.id AND liked_index.name IS NULL`,
    ({ t }) => [t.id, t.name, t.url, t.creator, t.thumbnail, t.likeCount, wordsOf(t)], { user: userId });
  }

  /**
   * Writes rows in one transaction, one statement per 100 rows in id order, then tidies the
   * search index. Not a statement per row: liked_search (written by liked_index's triggers)
   * starts a new FTS5 segment at every statement of a transaction and whenever its rowids
   * (which grow with the id) go down, and each segment costs every search term a lookup.
   */
  private writeRows<R extends { t: { id: number } }>(rows: R[], sql: (n: number) => string, values: (r: R) => unknown[], named: Record<string, unknown>): void {
    // Stable: a repeated id keeps its order (the last upsert wins, as before).
    const sorted = [...rows].sort((a, b) => a.t.id - b.t.id);
    this.db.transaction(() => {
      for (let i = 0; i < sorted.length; i += WRITE_CHUNK) {
        const chunk = sorted.slice(i, i + WRITE_CHUNK);
        this.prepared(sql(chunk.length)).run(named, ...chunk.flatMap(values));
      }
      this.stmts.tidy.run();
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
    this.search.changed();
    this.db.transaction(() => this.db.exec('DELETE FROM liked_index; DELETE FROM liked_index_meta'))();
  }

  count(userId: number): number {
    return this.stmts.count.get(userId)?.n ?? 0;
  }

  ids(userId: number): Set<number> {
    return new Set(this.stmts.ids.all(userId).map((r) => r.thing_id));
  }

  private readonly cache = new Map<string, ReturnType<Db['prepare']>>();
  private prepared<R>(sql: string) {
    let stmt = this.cache.get(sql);
    if (!stmt) this.cache.set(sql, (stmt = this.db.prepare(sql)));
    return stmt as unknown as { all(...p: unknown[]): R[]; get(...p: unknown[]): R | undefined; run(...p: unknown[]): unknown };
  }

  /** The SQL of a page query and of its count, for a filter of that shape (query-plan test too). */
  static sql(filter: { match: boolean; contains: number }, sort: LikedSort, limit: number): { page: string; matching: string; every: string } {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`page size ${limit}`);
    const contains = Array.from({ length: filter.contains }, (_, i) => `instr(li.words, @w${i}) > 0`);
    // LIMIT written in: bound, it made SQLite sort 10 rows 40 µs slower (it is the page size, 30).
    const order = `ORDER BY ${ORDER[sort]} LIMIT ${limit} OFFSET @offset`;
    if (!filter.match) {
      const where = ['li.user_id = @user', ...contains].join(' AND ');
      return {
        page: `SELECT ${COLUMNS} FROM liked_index AS li WHERE ${where} ${order}`,
        matching: `SELECT COUNT(*) AS n FROM liked_index AS li WHERE ${where}`,
        every: `SELECT ${COLUMNS} FROM liked_index AS li WHERE ${where} ORDER BY ${ORDER[sort]}`,
      };
    }
    // The matches drive (CROSS JOIN: SQLite keeps this order), each row read by its primary key,
    // then the matches are sorted: walking the sort's index would check every row on the way.
    const from = `liked_search CROSS JOIN liked_index AS li WHERE ${[USER_MATCHES, ENTRY_ROW, ...contains].join(' AND ')}`;
    return {
      page: `SELECT ${COLUMNS} FROM ${from} ${order}`,
      matching: filter.contains === 0 ? `SELECT COUNT(*) AS n FROM liked_search WHERE ${USER_MATCHES}` : `SELECT COUNT(*) AS n FROM ${from}`,
      every: `SELECT ${COLUMNS} FROM ${from} ORDER BY ${ORDER[sort]}`,
    };
  }

  query(userId: number, query: LikedQuery): LikedPage {
    const { total, matching, filter, every } = this.plan(userId, query);
    const offset = (query.page - 1) * query.perPage;
    if (every) return { items: every.slice(offset, offset + query.perPage).map(toThing), total, matching };
    const items = matching === 0 ? [] : this.prepared<Row>(LikedIndex.sql(shape(filter), query.sort ?? 'recent', query.perPage).page)
      .all({ ...params(userId, filter), offset }).map(toThing);
    return { items, total, matching };
  }

  /**
   * What query() reads: the user's total, the count of matches, and the filter of its page query
   * (the plan test checks it). When the probe found the looked-up word fewer than 32 times,
   * `every` holds all the matches, sorted: one lookup for the count and the page together.
   */
  plan(userId: number, query: LikedQuery): { total: number; matching: number; filter: Filter; every?: Row[] } {
    const total = this.count(userId);
    const words = searchWords(query.q);
    if (words.length === 0) return { total, matching: total, filter: { match: null, contains: [] } };
    const filter = this.search.filter(userId, words, total);
    if (filter.few) {
      const every = this.prepared<Row>(LikedIndex.sql(shape(filter), query.sort ?? 'recent', query.perPage).every).all(params(userId, filter));
      return { total, matching: every.length, filter, every };
    }
    const matching = this.prepared<{ n: number }>(LikedIndex.sql(shape(filter), 'recent', query.perPage).matching).get(params(userId, filter))!.n;
    // Many matches: the sort's index, checking each row, reaches the page after about
    // (offset + limit) * total / matching rows; sorting the matches reads `matching` rows.
    const walk = filter.match !== null && query.page * query.perPage * total <= matching * matching;
    return { total, matching, filter: walk ? { match: null, contains: words } : filter };
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

const shape = (f: Filter) => ({ match: f.match !== null, contains: f.contains.length });
function params(userId: number, f: Filter): Record<string, unknown> {
  return { user: userId, ...(f.match === null ? {} : { match: f.match }), ...Object.fromEntries(f.contains.map((w, i) => [`w${i}`, w])) };
}

/** What a search looks in: the name and the creator, lower-cased (liked_search indexes it too). */
const wordsOf = (t: SeenThing) => `${t.name} ${t.creator ?? ''}`.toLowerCase();

function toThing(r: Row): IndexedThing {
  return { id: r.thing_id, name: r.name, url: r.url, creator: r.creator, thumbnail: r.thumbnail, likeCount: r.like_count, firstSeen: r.first_seen };
}
