// The liked index's tables (liked-index.ts) and what keeps them cheap to read at 10,000 likes:
// one index per sort, a per-user row count, and an FTS5 trigram index of each row's search
// text (liked-search.ts reads it). Triggers on liked_index keep the count and the FTS index
// in step, so every write (refresh page, like, unlike, details, dropped rows) changes them in
// the same statement, hence the same transaction. A database made before either existed gets
// them at start, built from the rows.
import type { Db } from './db.js';

/**
 * A row's FTS rowid: the user in the high bits, so each user's entries are one rowid range and
 * a search reads only that user's postings. Ids must fit (user < 2^31, thing < 2^32, far above
 * Thingiverse's ids today): rows that do not are left out, and that user's searches walk the rows instead.
 */
export const MAX_KEYED_USER = 2 ** 31 - 1;
export const MAX_KEYED_THING = 2 ** 32 - 1;
const key = (row: 'new' | 'old') => `((${row}.user_id << 32) | ${row}.thing_id)`;
const keyed = (row: 'new' | 'old') => `${row}.user_id BETWEEN 0 AND ${MAX_KEYED_USER} AND ${row}.thing_id BETWEEN 0 AND ${MAX_KEYED_THING}`;

export function createLikedSchema(db: Db): void {
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
    stale INTEGER NOT NULL DEFAULT 0, gen INTEGER NOT NULL DEFAULT 0, liked INTEGER NOT NULL DEFAULT 0) STRICT`);
  // IMMEDIATE: two processes starting together cannot both find the index missing and build it twice.
  db.transaction(() => {
    addCount(db);
    addSearch(db);
  }).immediate();
}

/** liked_index_meta.liked = the user's row count: the page's total without counting 10,000 rows. */
function addCount(db: Db): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(liked_index_meta)').all();
  if (!columns.some((c) => c.name === 'liked')) {
    db.exec(`ALTER TABLE liked_index_meta ADD COLUMN liked INTEGER NOT NULL DEFAULT 0;
      INSERT INTO liked_index_meta (user_id, liked) SELECT user_id, COUNT(*) FROM liked_index WHERE true GROUP BY user_id
        ON CONFLICT (user_id) DO UPDATE SET liked = excluded.liked`);
  }
  db.exec(`CREATE TRIGGER IF NOT EXISTS liked_index_count_insert AFTER INSERT ON liked_index BEGIN
      INSERT INTO liked_index_meta (user_id, liked) VALUES (new.user_id, 1) ON CONFLICT (user_id) DO UPDATE SET liked = liked + 1;
    END;
    CREATE TRIGGER IF NOT EXISTS liked_index_count_delete AFTER DELETE ON liked_index BEGIN
      UPDATE liked_index_meta SET liked = liked - 1 WHERE user_id = old.user_id;
    END`);
}

/**
 * liked_search: `words` of every row, by trigrams, case as stored (already lower-cased), so a
 * quoted word of 3+ characters matches exactly where it is a substring. Contentless: the text
 * stays in liked_index; the index holds postings only.
 */
function addSearch(db: Db): void {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'liked_search'").get();
  if (!exists) {
    db.exec(`CREATE VIRTUAL TABLE liked_search USING fts5(words, tokenize = 'trigram case_sensitive 1',
        content = '', contentless_delete = 1);
      -- The 'merge' that follows each write (LikedIndex.writeRows) merges segments as soon as two
      -- share a level: every segment costs each search term a lookup.
      INSERT INTO liked_search (liked_search, rank) VALUES ('usermerge', 2);
      INSERT INTO liked_search (rowid, words) SELECT (user_id << 32) | thing_id, words FROM liked_index
        WHERE user_id BETWEEN 0 AND ${MAX_KEYED_USER} AND thing_id BETWEEN 0 AND ${MAX_KEYED_THING};
      INSERT INTO liked_search (liked_search) VALUES ('optimize')`);
  }
  db.exec(`CREATE TRIGGER IF NOT EXISTS liked_search_insert AFTER INSERT ON liked_index WHEN ${keyed('new')} BEGIN
      INSERT INTO liked_search (rowid, words) VALUES (${key('new')}, new.words);
    END;
    CREATE TRIGGER IF NOT EXISTS liked_search_update AFTER UPDATE OF words ON liked_index
      WHEN old.words IS NOT new.words AND ${keyed('new')} BEGIN
      UPDATE liked_search SET words = new.words WHERE rowid = ${key('new')};
    END;
    CREATE TRIGGER IF NOT EXISTS liked_search_delete AFTER DELETE ON liked_index WHEN ${keyed('old')} BEGIN
      DELETE FROM liked_search WHERE rowid = ${key('old')};
    END`);
}
