// Hot-path cost of the session store: express-session touches the session on every request
// (rolling cookie); the store writes only when the expiry moves by more than 1/60 of the
// session's lifetime, so a page view is not a database write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, afterAll } from '@jest/globals';
import type { SessionData } from 'express-session';
import { openDb } from '../src/store/db.js';
import { SqliteSessionStore } from '../src/store/session-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-touch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const sess = (expires: number): SessionData => ({ cookie: { originalMaxAge: HOUR, expires: new Date(expires) } }) as SessionData;
const done = (fn: (cb: (err?: unknown) => void) => void) => new Promise<void>((ok, fail) => fn((e) => (e ? fail(e) : ok())));

describe('session touch', () => {
  it('writes a touch only when the expiry moves by more than a minute (for an hour-long session)', async () => {
    const db = openDb(path.join(dir, 'app.db'));
    const store = new SqliteSessionStore(db, { defaultTtlMs: HOUR });
    const stored = () => (db.prepare('SELECT expires FROM sessions WHERE sid = ?').get('s1') as { expires: number }).expires;
    const t0 = Date.UTC(2026, 0, 1);
    await done((cb) => store.set('s1', sess(t0 + HOUR), cb));
    let writes = 0;
    const spy = db.prepare('SELECT total_changes() AS n');
    const before = (spy.get() as { n: number }).n;
    for (let s = 1; s <= 59; s++) await done((cb) => store.touch('s1', sess(t0 + HOUR + s * 1000), cb));
    writes = (spy.get() as { n: number }).n - before;
    expect(writes).toBe(0);
    expect(stored()).toBe(t0 + HOUR);
    await done((cb) => store.touch('s1', sess(t0 + HOUR + 61_000), cb));
    expect(stored()).toBe(t0 + HOUR + 61_000);
    // A destroyed id is never written again (S4); a new session's first write lands.
    await done((cb) => store.destroy('s1', cb));
    await done((cb) => store.set('s1', sess(t0 + 2 * HOUR), cb));
    expect(db.prepare('SELECT 1 FROM sessions WHERE sid = ?').get('s1')).toBeUndefined();
    await done((cb) => store.set('s2', sess(t0 + 2 * HOUR), cb));
    expect((db.prepare('SELECT expires FROM sessions WHERE sid = ?').get('s2') as { expires: number }).expires).toBe(t0 + 2 * HOUR);
    store.close();
    db.close();
  });
});
