// Another program holding the write lock on data/app.db (a backup, the sqlite3 shell, a second
// instance): the server keeps answering at once, a like Thingiverse applied is reported as
// such ("could not be saved here yet"), not as a 500, and everything is saved once the lock
// goes (issue 8). With the old 5 s busy timeout each of these requests stalled the whole
// server for 5 s, past jest's own 5 s limit.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import path from 'node:path';
import Database from 'better-sqlite3';
import supertest from 'supertest';
import { csrfFrom, startStack, type Stack } from './helpers/stack.js';
import { waitFor } from './helpers/wait.js';
import { BUSY_TIMEOUT_MS } from '../src/store/db.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeoutMs: 3000 });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

function holdWriteLock() {
  const other = new Database(path.join(stack.dataDir, 'app.db'));
  other.exec('BEGIN IMMEDIATE');
  other.prepare('INSERT OR REPLACE INTO liked_loaded (user_id, loaded_at) VALUES (-1, 0)').run();
  return () => {
    other.exec('COMMIT');
    other.close();
  };
}

describe('a busy database', () => {
  it('the busy timeout is short: a lock costs milliseconds of event loop, not seconds', () => {
    expect(BUSY_TIMEOUT_MS).toBeLessThanOrEqual(50);
    expect(stack.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
  });

  it('login, pages, static files and a like all work while another connection holds the write lock', async () => {
    const release = holdWriteLock();
    try {
      const cookie = await stack.loginCookie('ada_maker');
      await supertest(stack.url).get('/static/app.css').expect(200);
      const page = await supertest(stack.url).get('/').set('Cookie', cookie).expect(200);
      expect(page.text).toMatch(/Logged in as/);
      const id = [...page.text.matchAll(/id="thing-(\d+)"/g)].map((m) => Number(m[1]))
        .find((i) => !stack.sandbox.likedIds('ada_maker').includes(i))!;
      const like = await supertest(stack.url).post(`/things/${id}/like`).set('Cookie', cookie)
        .set('Accept', 'application/json').type('form').send({ _csrf: csrfFrom(page.text) }).expect(200);
      expect(like.body).toMatchObject({ id, liked: true, savedHere: false });
      expect(like.body.message).toMatch(/Thingiverse has it, but this app could not save it yet/);
      expect(stack.sandbox.likedIds('ada_maker')).toContain(id);
      // This process answers from what it holds: the next page shows it liked.
      const again = await supertest(stack.url).get('/').set('Cookie', cookie).expect(200);
      expect(again.text.slice(again.text.indexOf(`id="thing-${id}"`))).toMatch(/^[^]*?class="unlike"/);
      expect(stack.sessionStore.waitingWrites()).toBeGreaterThan(0);

      release();
      await waitFor('the waiting session writes to land', () => stack.sessionStore.waitingWrites() === 0);
      const sid = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
      expect(stack.db.prepare('SELECT 1 AS one FROM sessions WHERE sid = ?').get(sid)).toEqual({ one: 1 });
      const userId = stack.sandbox.users().find((u) => u.name === 'ada_maker')!.id;
      await waitFor('the like state to land', () =>
        stack.db.prepare('SELECT 1 AS one FROM liked WHERE user_id = ? AND thing_id = ?').get(userId, id));
    } finally {
      try { release(); } catch { /* already released */ }
    }
  });
});
