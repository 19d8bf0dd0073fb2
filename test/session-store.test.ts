import { describe, it, expect, afterEach } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionData } from 'express-session';
import { openDb, type Db } from '../src/store/db.js';
import { SqliteSessionStore } from '../src/store/session-store.js';
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
});
