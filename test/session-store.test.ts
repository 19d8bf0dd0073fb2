import { describe, it, expect, afterEach } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionData } from 'express-session';
import { openDb, type Db } from '../src/store/db.js';
import { SqliteSessionStore } from '../src/store/session-store.js';
import Database from 'better-sqlite3';
import { LikeState } from '../src/store/like-state.js';

const dirs: string[] = [];
function tmpDb(): { file: string; db: Db } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-store-'));
  dirs.push(dir);
  const file = path.join(dir, 'app.db');
  return { file, db: openDb(file) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const call = <T>(fn: (cb: (err: unknown, v?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

function sess(extra: Partial<SessionData>, expiresInMs = 60_000): SessionData {
  return { cookie: { originalMaxAge: expiresInMs, expires: new Date(Date.now() + expiresInMs) }, ...extra } as SessionData;
}

describe('SqliteSessionStore', () => {
  it('keeps a session across a close and reopen of the database (a restart)', async () => {
    const { file, db } = tmpDb();
    const a = new SqliteSessionStore(db, { defaultTtlMs: 60_000 });
    await call<void>((cb) => a.set('sid1', sess({ token: 'tok', user: { id: 1, name: 'ada', displayName: 'Ada' } }), cb));
    a.close();
    db.close();
    const db2 = openDb(file);
    const b = new SqliteSessionStore(db2, { defaultTtlMs: 60_000 });
    const got = await call<SessionData | null>((cb) => b.get('sid1', cb));
    expect(got?.user?.name).toBe('ada');
    b.close();
    db2.close();
  });

  it('does not return an expired session, and prune deletes it', async () => {
    const { db } = tmpDb();
    let now = Date.now();
    const s = new SqliteSessionStore(db, { defaultTtlMs: 1000, now: () => now });
    await call<void>((cb) => s.set('old', sess({}, 1000), cb));
    now += 5000;
    expect(await call((cb) => s.get('old', cb))).toBeNull();
    expect(s.prune()).toBe(1);
    s.close();
  });

  it('touch extends the expiry; destroy removes; length counts live sessions', async () => {
    const { db } = tmpDb();
    let now = Date.now();
    const s = new SqliteSessionStore(db, { defaultTtlMs: 1000, now: () => now });
    await call<void>((cb) => s.set('a', sess({}, 1000), cb));
    await call<void>((cb) => s.set('b', sess({}, 1000), cb));
    await call<void>((cb) => s.touch('a', sess({}, 10_000), cb));
    now += 5000;
    expect(await call((cb) => s.get('a', cb))).not.toBeNull();
    expect(await call((cb) => s.get('b', cb))).toBeNull();
    expect(await call<number>((cb) => s.length(cb))).toBe(1);
    await call<void>((cb) => s.destroy('a', cb));
    expect(await call((cb) => s.get('a', cb))).toBeNull();
    s.close();
  });

  it('answers from its copy of the rows what SQLite holds, through set, touch, destroy, a late set and expiry', async () => {
    const { file, db } = tmpDb();
    let now = Date.now();
    const s = new SqliteSessionStore(db, { defaultTtlMs: 1000, now: () => now });
    const get = () => call<SessionData | null>((cb) => s.get('a', cb));
    await call<void>((cb) => s.set('a', sess({ token: 't1' }, 1000), cb));
    expect((await get())?.token).toBe('t1');
    await call<void>((cb) => s.set('a', sess({ token: 't2' }, 1000), cb));
    expect((await get())?.token).toBe('t2');
    await call<void>((cb) => s.touch('a', sess({ token: 't2' }, 10_000), cb));
    now += 5000;
    expect((await get())?.token).toBe('t2'); // past the first expiry, within the touched one
    expect(s.isEnded('a')).toBe(false);
    await call<void>((cb) => s.destroy('a', cb));
    expect(await get()).toBeNull();
    expect(s.isEnded('a')).toBe(true);
    await call<void>((cb) => s.set('a', sess({ token: 'late' }, 1000), cb)); // a request that loaded it before
    expect(await get()).toBeNull();
    await call<void>((cb) => s.set('b', sess({ token: 'b' }, 1000), cb));
    now += 2000;
    expect(await call((cb) => s.get('b', cb))).toBeNull();
    s.close();
    db.close();
    // What a restart reads is the same.
    const again = new SqliteSessionStore(openDb(file), { defaultTtlMs: 1000, now: () => now });
    expect(await call((cb) => again.get('a', cb))).toBeNull();
    expect(await call((cb) => again.get('b', cb))).toBeNull();
    again.close();
  });

  it('treats corrupt session data as logged out instead of crashing', async () => {
    const { db } = tmpDb();
    const s = new SqliteSessionStore(db, { defaultTtlMs: 60_000 });
    db.prepare('INSERT INTO sessions (sid, data, expires) VALUES (?, ?, ?)').run('bad', '{not json', Date.now() + 60_000);
    expect(await call((cb) => s.get('bad', cb))).toBeNull();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE sid = ?').get('bad')).toEqual({ n: 0 });
    s.close();
  });
});

describe('LikeState', () => {
  it('answers which of a page of ids are liked, after a snapshot and single updates', () => {
    const { db } = tmpDb();
    let now = 1_000_000;
    const likes = new LikeState(db, () => now);
    expect(likes.isFresh(7, 60_000)).toBe(false);
    likes.replace(7, [1, 2, 3]);
    expect(likes.isFresh(7, 60_000)).toBe(true);
    likes.set(7, 4, true);
    likes.set(7, 2, false);
    expect([...likes.likedAmong(7, [1, 2, 3, 4, 5])].sort()).toEqual([1, 3, 4]);
    expect(likes.likedAmong(8, [1, 2]).size).toBe(0);
    now += 60_001;
    expect(likes.isFresh(7, 60_000)).toBe(false);
    likes.replace(7, [9]);
    expect([...likes.likedAmong(7, [1, 9])]).toEqual([9]);
    likes.invalidate(7);
    expect(likes.isFresh(7, 60_000)).toBe(false);
  });

  const liked = (likes: LikeState, userId: number, ids: number[]) => [...likes.likedAmong(userId, ids)].sort((a, b) => a - b);

  it('answers from memory what it wrote to SQLite: the same after a restart on the file, and changes after that', () => {
    const { file, db } = tmpDb();
    const likes = new LikeState(db);
    likes.replace(7, [1, 2, 3]);
    likes.set(7, 4, true);
    likes.set(7, 2, false);
    expect(liked(likes, 7, [1, 2, 3, 4])).toEqual([1, 3, 4]);
    db.close();
    const again = new LikeState(openDb(file));
    expect(liked(again, 7, [1, 2, 3, 4])).toEqual([1, 3, 4]);
    again.set(7, 1, false);
    again.set(7, 5, true);
    expect(liked(again, 7, [1, 2, 3, 4, 5])).toEqual([3, 4, 5]);
  });

  it('holds at most its bound of ids in memory: users let go are read again from SQLite', () => {
    const { db } = tmpDb();
    const likes = new LikeState(db, Date.now, 5);
    likes.replace(1, [10, 11, 12]);
    likes.replace(2, [20, 21, 22]); // user 1 goes
    expect(likes.held()).toBe(3);
    likes.set(1, 13, true);
    expect(liked(likes, 1, [10, 13, 20])).toEqual([10, 13]); // user 2 goes
    expect(liked(likes, 2, [10, 20, 22])).toEqual([20, 22]);
    expect(likes.held()).toBe(3);
    // A user over the bound alone is answered from SQLite.
    likes.replace(3, [1, 2, 3, 4, 5, 6]);
    expect(likes.held()).toBeLessThanOrEqual(5);
    expect(liked(likes, 3, [6, 7])).toEqual([6]);
    expect(likes.held()).toBeLessThanOrEqual(5);
  });

  it('keeps holding a user whose writes wait for a busy database, past the bound', () => {
    const { file, db } = tmpDb();
    const likes = new LikeState(db, Date.now, 5);
    likes.replace(2, [20, 21, 22, 23]);
    likes.replace(1, [10, 11]); // user 2 goes
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    other.prepare('INSERT OR REPLACE INTO liked_loaded (user_id, loaded_at) VALUES (-1, 0)').run();
    try {
      expect(likes.set(1, 12, true)).toBe(false); // waits: only memory has it
      expect(liked(likes, 2, [20, 23])).toEqual([20, 23]); // read from SQLite, over the bound with user 1
      expect(liked(likes, 1, [10, 12])).toEqual([10, 12]);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
  });
});
