// The liked index in SQLite: refresh generations, changes made here, search/sort/page with
// counts, the export walk, and query plans that stay index walks at 10,000 likes.
import { describe, it, expect, beforeEach } from '@jest/globals';
import { openDb, type Db } from '../src/store/db.js';
import { LikedIndex, type LikedSort, type SeenThing } from '../src/store/liked-index.js';
import { fill as fillIndex, seen } from './helpers/index-rows.js';

let db: Db;
let index: LikedIndex;
let clock = 1_000;
beforeEach(() => {
  db = openDb(':memory:');
  index = new LikedIndex(db, () => clock);
});

const fill = (userId: number, things: SeenThing[]) => fillIndex(index, userId, things);

const ids = (userId: number, q: Partial<Parameters<LikedIndex['query']>[1]> = {}) =>
  index.query(userId, { page: 1, perPage: 30, ...q }).items.map((t) => t.id);

describe('refresh and changes', () => {
  it('a refresh replaces the rows, keeps first-seen times and drops what it did not see', () => {
    expect(index.meta(1)).toEqual({ refreshedAt: null, stale: false, missingDetails: 0 });
    fill(1, [seen(10, 'Gear', 'ada'), seen(11, 'Vase', 'bram'), seen(12, 'Hook', 'cleo')]);
    expect(index.meta(1)).toEqual({ refreshedAt: 1_000, stale: false, missingDetails: 0 });
    clock = 2_000;
    fill(1, [seen(13, 'Clip', 'ada'), seen(10, 'Gear v2', 'ada'), seen(12, 'Hook', 'cleo')]);
    const page = index.query(1, { page: 1, perPage: 30 });
    expect(page.items.map((t) => [t.id, t.name, t.firstSeen])).toEqual([[13, 'Clip', 2_000], [10, 'Gear v2', 1_000], [12, 'Hook', 1_000]]);
    expect(page.total).toBe(3);
    expect(index.ids(1)).toEqual(new Set([10, 12, 13]));
  });

  it('an unclean refresh keeps the old rows and leaves the index stale', () => {
    fill(1, [seen(10, 'Gear', 'ada'), seen(11, 'Vase', 'bram')]);
    const gen = index.beginRefresh(1);
    index.writePage(1, gen, 0, [seen(10, 'Gear', 'ada')]);
    index.endRefresh(1, gen, false);
    expect(index.ids(1)).toEqual(new Set([10, 11]));
    expect(index.meta(1).stale).toBe(true);
  });

  it('a like made here goes on top without details until fillDetails; an unlike removes the row', () => {
    fill(1, [seen(10, 'Gear', 'ada'), seen(11, 'Vase', 'bram')]);
    index.applyChange(1, 99, true);
    expect(ids(1)).toEqual([99, 10, 11]);
    expect(index.query(1, { page: 1, perPage: 1 }).items[0]).toMatchObject({ id: 99, name: null });
    expect(index.meta(1)).toMatchObject({ stale: false, missingDetails: 1 });
    // The top of /likes: fills the row lacking details, leaves the others (and the order) alone.
    index.fillDetails(1, [seen(99, 'New Clip', 'zed'), seen(10, 'Renamed', 'x')]);
    expect(index.query(1, { page: 1, perPage: 30 }).items.map((t) => [t.id, t.name])).toEqual([[99, 'New Clip'], [10, 'Gear'], [11, 'Vase']]);
    expect(ids(1, { q: 'zed clip' })).toEqual([99]);
    expect(index.meta(1).missingDetails).toBe(0);
    index.applyChange(1, 10, false);
    expect(ids(1)).toEqual([99, 11]);
    // A refresh that started before the like keeps it (same generation), and skips an unlike made meanwhile.
    const gen = index.beginRefresh(1);
    index.applyChange(1, 77, true);
    index.writePage(1, gen, 0, [seen(11, 'Vase', 'bram'), seen(55, 'Gone', 'x')], new Set([55]));
    index.endRefresh(1, gen, true);
    expect(ids(1)).toEqual([77, 11]);
  });

  it('keeps users apart', () => {
    fill(1, [seen(10, 'Gear', 'ada')]);
    fill(2, [seen(20, 'Vase', 'bram')]);
    expect(ids(1)).toEqual([10]);
    expect(ids(2)).toEqual([20]);
    expect(index.count(2)).toBe(1);
  });
});

describe('query', () => {
  beforeEach(() => fill(1, [
    seen(1, 'Blue Gear', 'ada_maker', 5), seen(2, 'red vase', 'Bram', 50), seen(3, 'Gear box', 'cleo', null),
    seen(4, 'Hook', 'ada_maker', 7), seen(5, '100% infill_test', 'zed', 1),
  ]));

  it('sorts by recent (default), name, likes and creator, ties in liked order', () => {
    expect(ids(1)).toEqual([1, 2, 3, 4, 5]);
    expect(ids(1, { sort: 'name' })).toEqual([5, 1, 3, 4, 2]);
    expect(ids(1, { sort: 'likes' })).toEqual([2, 4, 1, 5, 3]);
    expect(ids(1, { sort: 'creator' })).toEqual([1, 4, 2, 3, 5]);
  });

  it('matches every word in the name or the creator, case-insensitively, with % and _ taken literally', () => {
    expect(index.query(1, { q: 'gear', page: 1, perPage: 30 })).toMatchObject({ total: 5, matching: 2 });
    expect(ids(1, { q: 'GEAR ada' })).toEqual([1]);
    expect(ids(1, { q: 'ada', sort: 'name' })).toEqual([1, 4]);
    expect(ids(1, { q: '100%' })).toEqual([5]);
    expect(ids(1, { q: '%' })).toEqual([5]);
    expect(ids(1, { q: 'o_t' })).toEqual([]);
    expect(ids(1, { q: 'l_t' })).toEqual([5]);
    expect(index.query(1, { q: 'nothing', page: 1, perPage: 30 })).toEqual({ items: [], total: 5, matching: 0 });
  });

  it('pages', () => {
    expect(ids(1, { page: 2, perPage: 2 })).toEqual([3, 4]);
    expect(ids(1, { page: 4, perPage: 2 })).toEqual([]);
  });
});

describe('10,000 likes', () => {
  const many = () => Array.from({ length: 10_000 }, (_, i) => seen(100_000 + i, `Design ${(i * 7919) % 10_000}`, `maker${i % 97}`, (i * 31) % 500));

  it('every sort, and a search that reads the rows, is an index walk on the user, never a sort of all rows', () => {
    fill(1, many());
    for (const sort of ['recent', 'name', 'likes', 'creator'] as LikedSort[]) {
      for (const words of [0, 2]) {
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${LikedIndex.sql({ match: false, contains: words }, sort, 30).page}`)
          .all({ user: 1, w0: 'a', w1: 'b', offset: 0 }).map((r) => (r as { detail: string }).detail).join(' | ');
        expect(plan).toMatch(/USING (COVERING )?INDEX liked_index_/);
        expect(plan).not.toMatch(/TEMP B-TREE/);
      }
    }
    const page = index.query(1, { q: 'design maker5', sort: 'likes', page: 3, perPage: 30 });
    expect(page.total).toBe(10_000);
    expect(page.matching).toBeGreaterThan(30);
    expect(page.items).toHaveLength(30);
    const counts = page.items.map((t) => t.likeCount!);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('the export walk yields every row once, in order, numbered from 1', () => {
    fill(1, many());
    index.applyChange(1, 42, true); // a like made here: on top, ord below the refresh's 0
    const rows = [...index.all(1, 700)];
    expect(rows.map((t) => t.position)).toEqual(Array.from({ length: 10_001 }, (_, i) => i + 1));
    expect(rows.map((t) => t.id)).toEqual([42, ...many().map((t) => t.id)]);
  });
});
