// The index refresher against a scripted client (the edge under test): page by page writes,
// the first page's own signal, changes made during a refresh, the rate budget, the cheap
// completeness check, and failures logged exactly once.
import { describe, it, expect, beforeEach } from '@jest/globals';
import { openDb } from '../src/store/db.js';
import { LikedIndex } from '../src/store/liked-index.js';
import { IndexRefresher } from '../src/likes/index-refresh.js';
import { RateLimiter } from '../src/thingiverse/limiter.js';
import { UpstreamError } from '../src/thingiverse/errors.js';
import { createLogger } from '../src/logger.js';
import type { ThingSummary, ThingiverseClient } from '../src/thingiverse/types.js';

const user = { id: 7, name: 'ada', displayName: 'Ada' };
const summary = (id: number): ThingSummary => ({
  id, name: `Thing ${id}`, publicUrl: null, image: null, likeCount: id % 10, createdAt: null,
  creator: { id: 1, name: 'maker', displayName: 'Maker', publicUrl: null, thumbnail: null },
});

let liked: number[];
let calls: string[];
let gate: Map<number, Promise<void>>; // page number -> waits before answering
let logs: string[];
let clock: number;
let budget: RateLimiter;
const KEY = 't:tok';
let slept: number[];
let refresher: IndexRefresher;

beforeEach(() => {
  liked = Array.from({ length: 250 }, (_, i) => 1000 + i);
  calls = [];
  gate = new Map();
  logs = [];
  clock = 1_000_000;
  slept = [];
  budget = new RateLimiter({ limit: 300, windowMs: 300_000, now: () => clock });
  // Counts through the limiter as the real client does.
  const client = {
    limiter: budget,
    keyFor: () => KEY,
    likedIds: async (_t: string, _n: string, c?: { reserve?: number }) => {
      await budget.take(KEY, 'likedIds', c);
      calls.push('likesids');
      return liked.slice();
    },
    likedThings: async (_t: string, _n: string, q: { page: number; perPage: number }, c?: { reserve?: number }) => {
      await budget.take(KEY, 'likedThings', c);
      calls.push(`likes ${q.page}`);
      await gate.get(q.page);
      const items = liked.slice((q.page - 1) * q.perPage, q.page * q.perPage).map(summary);
      return { items, page: q.page, perPage: q.perPage, total: null };
    },
  } as unknown as ThingiverseClient;
  refresher = new IndexRefresher({
    index: new LikedIndex(openDb(':memory:'), () => clock), client,
    logger: createLogger('debug', { write: (l: string) => void logs.push(l) }), maxAgeMs: 30 * 60_000, now: () => clock,
    sleep: async (ms) => { slept.push(ms); clock += ms; },
  });
});

const deferred = () => {
  let open!: () => void;
  return { promise: new Promise<void>((r) => (open = r)), open };
};

describe('IndexRefresher', () => {
  it('reads likesids, then pages of 100; the first page is its own signal; the end is clean', async () => {
    const page2 = deferred();
    gate.set(2, page2.promise);
    const run = refresher.refresh(user, 'tok');
    await run.firstPage;
    expect(refresher.index.count(user.id)).toBe(100);
    expect(refresher.isRefreshing(user.id)).toBe(true);
    page2.open();
    await run.done;
    expect(calls).toEqual(['likesids', 'likes 1', 'likes 2', 'likes 3']);
    expect(refresher.index.count(user.id)).toBe(250);
    expect(refresher.index.meta(user.id)).toEqual({ refreshedAt: clock, stale: false, missingDetails: 0 });
    expect(refresher.isDue(user.id)).toBe(false);
    clock += 30 * 60_000;
    expect(refresher.isDue(user.id)).toBe(true);
  });

  it('a like made here costs one page read for its details, not a full refresh', async () => {
    await refresher.refresh(user, 'tok').done;
    liked.unshift(42);
    refresher.onConfirmed(user.id, 42, true);
    expect(refresher.due(user.id)).toBe('top');
    calls = [];
    await refresher.refreshIfDue(user, 'tok')!.done;
    expect(calls).toEqual(['likes 1']);
    expect(refresher.index.query(user.id, { page: 1, perPage: 1 }).items[0]).toMatchObject({ id: 42, name: 'Thing 42' });
    expect(refresher.due(user.id)).toBeNull();
    // A like Thingiverse does not list (yet): the top-up gives up, and a full refresh follows a minute later.
    refresher.onConfirmed(user.id, 43, true);
    await refresher.refreshIfDue(user, 'tok')!.done;
    expect(refresher.due(user.id)).toBeNull();
    clock += 60_000;
    expect(refresher.due(user.id)).toBe('full');
  });

  it('a change the database cannot take (busy) never fails the like: a full refresh becomes due', async () => {
    await refresher.refresh(user, 'tok').done;
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    refresher.index.applyChange = () => { throw busy; };
    expect(() => refresher.onConfirmed(user.id, 1001, false)).not.toThrow();
    expect(logs.filter((l) => l.includes('liked index change not saved'))).toHaveLength(1);
    expect(refresher.due(user.id)).toBe('full');
  });

  it('one refresh per user at a time', async () => {
    const a = refresher.refresh(user, 'tok');
    expect(refresher.refresh(user, 'tok')).toBe(a);
    expect(refresher.refreshIfDue(user, 'tok')).toBe(a);
    await a.done;
    expect(calls.filter((c) => c === 'likesids')).toHaveLength(1);
  });

  it('an unlike confirmed during a refresh stays unliked, and the refresh ends unclean (retried a minute later)', async () => {
    const page2 = deferred();
    gate.set(2, page2.promise);
    const run = refresher.refresh(user, 'tok');
    await run.firstPage;
    refresher.onConfirmed(user.id, 1150, false); // on page 2, which Thingiverse already produced
    page2.open();
    await run.done;
    expect(refresher.index.ids(user.id).has(1150)).toBe(false);
    expect(refresher.index.meta(user.id).stale).toBe(true);
    expect(refresher.isDue(user.id)).toBe(false);
    clock += 60_000;
    expect(refresher.isDue(user.id)).toBe(true);
  });

  it('waits for the rate budget, leaving 25 calls free for page views', async () => {
    for (let i = 0; i < 275; i++) budget.tryTake(KEY);
    clock += 1;
    await refresher.refresh(user, 'tok').done;
    expect(slept.length).toBeGreaterThan(0);
    expect(calls[0]).toBe('likesids');
    expect(budget.used(KEY)).toBeLessThanOrEqual(275);
  });

  it('ensureComplete: matching ids cost one likesids call; different ids a full refresh', async () => {
    await refresher.refresh(user, 'tok').done;
    calls = [];
    await refresher.ensureComplete(user, 'tok');
    expect(calls).toEqual(['likesids']);
    liked = [5, ...liked.slice(1)];
    calls = [];
    await refresher.ensureComplete(user, 'tok');
    expect(calls).toEqual(['likesids', 'likesids', 'likes 1', 'likes 2', 'likes 3']);
    expect(refresher.index.ids(user.id).has(5)).toBe(true);
    expect(refresher.index.ids(user.id).has(1000)).toBe(false);
  });

  it('a failure is logged once, and not at all when a request passed it on', async () => {
    const fail = new UpstreamError({ kind: 'unavailable', message: 'down', op: 'likedThings', status: 503 });
    gate.set(1, Promise.reject(fail));
    gate.get(1)!.catch(() => undefined);
    await expect(refresher.refresh(user, 'tok').done).rejects.toBe(fail);
    await new Promise((r) => setImmediate(r));
    expect(logs.filter((l) => l.includes('liked index refresh failed'))).toHaveLength(1);
    logs = [];
    const run = refresher.refresh(user, 'tok');
    await expect(refresher.passOn(run, 'firstPage')).rejects.toBe(fail);
    await new Promise((r) => setImmediate(r));
    expect(logs).toEqual([]);
  });
});
