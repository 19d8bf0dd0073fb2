// The liked page's search through liked_search (the FTS5 trigram index, src/store/liked-search.ts):
// at 10,000 likes a filtered page reads the matches through the index, finds exactly what the
// LIKE scan it replaced found (that scan is kept below as the reference), the index follows
// every write, and a database from before it gets it at start.
import { describe, it, expect, beforeAll, beforeEach } from '@jest/globals';
import { openDb, type Db } from '../src/store/db.js';
import { LikedIndex, type LikedSort, type SeenThing } from '../src/store/liked-index.js';
import { fill, seen } from './helpers/index-rows.js';

const SORTS: LikedSort[] = ['recent', 'name', 'likes', 'creator'];
const ORDER: Record<LikedSort, string> = {
  recent: 'ord ASC',
  name: 'name COLLATE NOCASE ASC, ord ASC',
  likes: 'like_count DESC, ord ASC',
  creator: 'creator COLLATE NOCASE ASC, ord ASC',
};

/** The old search, as it was: every word a LIKE on the lower-cased words, % and _ escaped. */
function reference(db: Db, userId: number, q: string, sort: LikedSort, page: number) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8).map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const where = ['user_id = ?', ...words.map(() => "words LIKE ? ESCAPE '\\'")].join(' AND ');
  const ids = db.prepare<unknown[], { thing_id: number }>(`SELECT thing_id FROM liked_index WHERE ${where} ORDER BY ${ORDER[sort]} LIMIT 30 OFFSET ?`)
    .all(userId, ...words, (page - 1) * 30).map((r) => r.thing_id);
  const matching = db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM liked_index WHERE ${where}`).get(userId, ...words)!.n;
  return { ids, matching };
}

function actual(index: LikedIndex, userId: number, q: string, sort: LikedSort, page: number) {
  const result = index.query(userId, { q, sort, page, perPage: 30 });
  return { ids: result.items.map((t) => t.id), matching: result.matching };
}

/** The things liked_search itself holds for a word (not through query()). */
const indexed = (db: Db, userId: number, word: string) => db.prepare<[string, number, number], { id: number }>(`SELECT rowid & 4294967295 AS id FROM liked_search
  WHERE liked_search MATCH ? AND rowid BETWEEN (? << 32) AND ((? << 32) | 4294967295) ORDER BY id`).all(`"${word}"`, userId, userId).map((r) => r.id);
const scanned = (db: Db, userId: number, word: string) => db.prepare<[number, string], { id: number }>(
  'SELECT thing_id AS id FROM liked_index WHERE user_id = ? AND instr(words, ?) > 0 ORDER BY id').all(userId, word).map((r) => r.id);

/** 10,000 "Design N" things by 97 makers, and names that test the edges of matching. */
const many = (): SeenThing[] => [
  ...Array.from({ length: 9_989 }, (_, i) => seen(100_000 + i, `Design ${(i * 7919) % 10_000}`, `maker${i % 97}`, (i * 31) % 500)),
  seen(1, '100% infill_test', 'zed'), seen(2, 'Say "cheese" box', 'Quote'), seen(3, 'Café Straße', 'Zoë'),
  seen(4, 'İstanbul lamp', 'ÇELİK'), seen(5, 'Smile 🙂🙂🙂 mount', 'emoji'), seen(6, 'DESIGN 840 REMIX', 'LOUD'),
  seen(7, 'a', 'b'), seen(8, 'Gear', 'design840'), seen(9, 'tab\tname', 'x_y'), seen(10, 'Design 84', 'maker5'),
  seen(11, 'Bracket 8400', 'maker2'),
];

const QUERIES = [
  'design 840', 'DESIGN 840', '840 design', 'design', '840', 'de', 'de 840', 'maker5 design', 'esign 84', 'n 8',
  'design design', '100%', '%', 'o_t', 'l_t', '"cheese"', '"', 'café', 'straße', 'é', 'istanbul', 'i̇stanbul',
  '🙂🙂🙂', '🙂🙂', '🙂', 'zzz', 'maker1 maker2', 'maker96 design 9', 'a b c d e f g h i', 'ign 840 des',
];

let db: Db;
let index: LikedIndex;
const filterOf = (userId: number, q: string, sort: LikedSort = 'recent', page = 1) => index.plan(userId, { q, sort, page, perPage: 30 }).filter;
function fresh(): void {
  db = openDb(':memory:');
  index = new LikedIndex(db);
}

describe('10,000 likes', () => {
  // Read-only for user 1 and 2: filled once.
  beforeAll(() => {
    fresh();
    fill(index, 1, many());
    fill(index, 2, [seen(100_840, 'Design 840', 'other'), seen(7, 'design 840 too', 'other')]);
  });

  it('a filtered page reads the matches from the FTS index on the user\'s rowid range, by primary key, then sorts those few', () => {
    // "design" is in nearly every row: the rare word is looked up, the other checked on its rows;
    // it has under 32 entries (few): count and page come from one read of them all.
    for (const sort of SORTS) {
      expect(filterOf(1, 'design 840', sort)).toEqual({ match: '"840"', contains: ['design'], few: true });
      for (const sql of Object.values(LikedIndex.sql({ match: true, contains: 1 }, sort, 30))) {
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ user: 1, match: '"840"', w0: 'design', offset: 0 })
          .map((r) => (r as { detail: string }).detail).join(' | ');
        expect(plan).toMatch(/^SCAN liked_search VIRTUAL TABLE INDEX \d+:M\d*></); // MATCH and both rowid bounds
        expect(plan).toContain('SEARCH li USING PRIMARY KEY (user_id=? AND thing_id=?)');
        expect(plan).not.toMatch(/SCAN li\b|USING (COVERING )?INDEX liked_index_/);
      }
    }
    const page = index.query(1, { q: 'design 840', sort: 'name', page: 1, perPage: 30 });
    expect(page).toMatchObject({ total: 10_000, matching: reference(db, 1, 'design 840', 'name', 1).matching });
    expect(page.matching).toBeGreaterThan(10);
  });

  it('finds what the LIKE scan found, in the same order, with the same count, for every sort', () => {
    const check = (q: string, sort: LikedSort, page: number) =>
      expect({ q, sort, page, ...actual(index, 1, q, sort, page) }).toEqual({ q, sort, page, ...reference(db, 1, q, sort, page) });
    for (const q of QUERIES) {
      for (const sort of SORTS) check(q, sort, 1);
      check(q, 'name', 3);
    }
    // One row in 9 matches: the first page walks the sort's index (it fills within some 270 rows),
    // a page deep into them sorts the index's 1,100 matches instead.
    expect(filterOf(1, 'maker1', 'likes', 1)).toEqual({ match: null, contains: ['maker1'] });
    expect(filterOf(1, 'maker1', 'likes', 20)).toEqual({ match: '"maker1"', contains: [] });
    expect(actual(index, 1, 'maker1', 'likes', 20)).toEqual(reference(db, 1, 'maker1', 'likes', 20));
    expect(actual(index, 2, 'design 840', 'name', 1)).toEqual({ ids: [100_840, 7], matching: 2 });
  });

  it('a user with ids too large for the index key is searched by reading the rows', () => {
    const huge = 2 ** 32 + 5;
    fill(index, 3, [...many().slice(0, 200), seen(huge, 'Design 840 big', 'maker1')]);
    fill(index, 2 ** 31 + 1, many().slice(0, 200));
    expect(filterOf(3, 'design 840').match).toBeNull();
    expect(filterOf(2 ** 31 + 1, 'design 840').match).toBeNull();
    expect(actual(index, 3, 'design 840', 'name', 1)).toEqual(reference(db, 3, 'design 840', 'name', 1));
    expect(actual(index, 3, 'design 840', 'name', 1).ids).toContain(huge);
    expect(actual(index, 2 ** 31 + 1, 'design 8', 'recent', 1)).toEqual(reference(db, 2 ** 31 + 1, 'design 8', 'recent', 1));
  });
});

describe('the index follows every write', () => {
  beforeEach(fresh);
  const WORDS = ['gear', 'vase', 'design', 'renamed', 'clip', 'maker'];
  const inSync = (userId: number) => {
    for (const w of WORDS) expect({ w, ids: indexed(db, userId, w) }).toEqual({ w, ids: scanned(db, userId, w) });
    expect(index.count(userId)).toBe(db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM liked_index WHERE user_id = ?').get(userId)!.n);
  };
  // Over the few rows that are read without the index.
  const rows = () => [seen(10, 'Gear', 'ada'), seen(11, 'Vase', 'bram'), ...Array.from({ length: 200 }, (_, i) => seen(1000 + i, `Design ${i}`, `maker${i % 7}`))];

  it('refresh pages, renames, dropped rows, likes, details and unlikes', () => {
    fill(index, 1, rows());
    inSync(1);
    expect(filterOf(1, 'gear').match).not.toBeNull();
    expect(actual(index, 1, 'gear', 'recent', 1)).toEqual({ ids: [10], matching: 1 });
    // A refresh that renames one thing and no longer sees another.
    fill(index, 1, [seen(10, 'Renamed gear', 'ada'), ...rows().slice(2)]);
    inSync(1);
    expect(actual(index, 1, 'vase', 'recent', 1)).toEqual({ ids: [], matching: 0 });
    expect(actual(index, 1, 'renamed', 'recent', 1)).toEqual({ ids: [10], matching: 1 });
    // A like made here has no details (nothing to find) until fillDetails; then it is found.
    index.applyChange(1, 77, true);
    inSync(1);
    expect(actual(index, 1, 'clip', 'recent', 1).matching).toBe(0);
    index.fillDetails(1, [seen(77, 'New Clip', 'zed'), seen(10, 'Not applied', 'x'), seen(77, 'Second copy', 'x')]);
    inSync(1);
    expect(actual(index, 1, 'clip', 'recent', 1)).toEqual({ ids: [77], matching: 1 });
    expect(actual(index, 1, 'applied', 'recent', 1).matching).toBe(0);
    index.applyChange(1, 77, false);
    index.applyChange(1, 1000, false);
    inSync(1);
    expect(actual(index, 1, 'clip', 'recent', 1).matching).toBe(0);
    expect(actual(index, 1, 'design 0', 'recent', 1).ids).not.toContain(1000);
    expect(index.count(1)).toBe(200);
  });

  it('a search chooses its rare word again after each kind of write to the user\'s rows', () => {
    // The choice is remembered per user and search: each write below makes the other word rarer.
    const base = rows().slice(2);
    const named = (ids: number[], name: string) => ids.map((id) => seen(id, name, 'maker'));
    const choice = () => filterOf(1, 'gear vase').match;
    const start = (gears: number[], vases: number[]) => {
      fill(index, 1, [...base, ...named(gears, 'Gear'), ...named(vases, 'Vase')]);
      return choice();
    };
    // Unlikes: vase 0, gear 1. Another user's rows do not matter.
    expect(start([1], [100, 101])).toBe('"gear"');
    fill(index, 2, [...base, ...named([1, 2, 3], 'Gear'), ...named([100], 'Vase')]);
    expect(choice()).toBe('"gear"');
    index.applyChange(1, 100, false);
    index.applyChange(1, 101, false);
    expect(choice()).toBe('"vase"');
    // Likes made here, then their details: vase 2, gear 1.
    index.applyChange(1, 500, true);
    index.applyChange(1, 501, true);
    expect(choice()).toBe('"vase"');
    index.fillDetails(1, named([500, 501], 'Vase'));
    expect(choice()).toBe('"gear"');
    // A refresh page that renames: vase 1, gear 2.
    expect(start([1], [100, 101])).toBe('"gear"');
    let gen = index.beginRefresh(1);
    index.writePage(1, gen, 0, [...base, ...named([1], 'Vase'), ...named([100, 101], 'Gear')]);
    expect(choice()).toBe('"vase"');
    index.endRefresh(1, gen, true);
    // The end of a refresh drops what it did not see (two vases): gear 2, vase 1.
    expect(start([1], [100, 101, 102])).toBe('"gear"');
    gen = index.beginRefresh(1);
    index.writePage(1, gen, 0, [...base, ...named([1, 200], 'Gear'), ...named([100], 'Vase')]);
    expect(choice()).toBe('"gear"');
    index.endRefresh(1, gen, true);
    expect(choice()).toBe('"vase"');
    expect(actual(index, 1, 'gear vase', 'recent', 1).matching).toBe(0);
  });

  it('a rare word with 31 entries: every page and the count from one read of them all', () => {
    fill(index, 1, [...rows().slice(2), ...Array.from({ length: 31 }, (_, i) => seen(5000 + i, `Design zebra ${30 - i}`, `maker${i % 3}`, i))]);
    expect(filterOf(1, 'zebra design').few).toBe(true);
    for (const sort of SORTS) {
      for (const page of [1, 2, 3]) expect({ sort, page, ...actual(index, 1, 'zebra design', sort, page) }).toEqual({ sort, page, ...reference(db, 1, 'zebra design', sort, page) });
    }
    expect(actual(index, 1, 'zebra design', 'name', 2)).toMatchObject({ matching: 31 });
    expect(actual(index, 1, 'zebra design', 'name', 2).ids).toHaveLength(1);
  });

  it('a refresh page that repeats a thing keeps its last place, as row-by-row writes did', () => {
    const gen = index.beginRefresh(1);
    index.writePage(1, gen, 0, [seen(5, 'First', 'a'), ...rows().slice(2, 150), seen(5, 'Last gear', 'a')]);
    index.endRefresh(1, gen, true);
    inSync(1);
    expect(index.query(1, { q: 'gear', page: 1, perPage: 30 }).items).toMatchObject([{ id: 5, name: 'Last gear' }]);
    expect(index.count(1)).toBe(149);
  });
});

describe('a database from before the search index', () => {
  beforeEach(fresh);
  it('gets the index and the counts at start, built from its rows', () => {
    // The schema as it was, with rows written the way the old code wrote them.
    db.exec(`DROP TABLE liked_search; DROP TABLE liked_index; DROP TABLE liked_index_meta;
      CREATE TABLE liked_index (user_id INTEGER NOT NULL, thing_id INTEGER NOT NULL,
        name TEXT, url TEXT, creator TEXT, thumbnail TEXT, like_count INTEGER, ord INTEGER NOT NULL,
        first_seen INTEGER NOT NULL, gen INTEGER NOT NULL, words TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (user_id, thing_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE liked_index_meta (user_id INTEGER PRIMARY KEY, refreshed_at INTEGER,
        stale INTEGER NOT NULL DEFAULT 0, gen INTEGER NOT NULL DEFAULT 0) STRICT;
      INSERT INTO liked_index_meta (user_id, refreshed_at, gen) VALUES (1, 5, 1)`);
    const old = db.prepare(`INSERT INTO liked_index (user_id, thing_id, name, creator, like_count, ord, first_seen, gen, words)
      VALUES (?, ?, ?, ?, 0, ?, 1, 1, ?)`);
    many().slice(0, 300).forEach((t, i) => old.run(1, t.id, t.name, t.creator, i, `${t.name} ${t.creator}`.toLowerCase()));
    old.run(2, 42, 'Design 840 elsewhere', 'x', 0, 'design 840 elsewhere x'); // a user without a meta row
    index = new LikedIndex(db);
    expect(index.count(1)).toBe(300);
    expect(index.count(2)).toBe(1);
    expect(index.meta(1)).toMatchObject({ refreshedAt: 5 });
    for (const w of ['design', '840', 'maker5']) expect(indexed(db, 1, w)).toEqual(scanned(db, 1, w));
    expect(filterOf(1, 'design 84').match).not.toBeNull();
    expect(actual(index, 1, 'design 84', 'name', 1)).toEqual(reference(db, 1, 'design 84', 'name', 1));
    // And from then on the triggers keep it.
    index.applyChange(1, 100_000, false);
    expect(indexed(db, 1, 'design')).toEqual(scanned(db, 1, 'design'));
    expect(index.count(1)).toBe(299);
    // Opening it again builds nothing twice.
    new LikedIndex(db);
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM liked_search').get()!.n).toBe(300);
  });
});
