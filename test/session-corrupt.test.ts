// Corrupt session data at the app level: whatever is in the sessions table for a live sid
// when the app reads it, the user is treated as logged out (200 pages, 401 where a login is
// needed), never a 500. The rows are corrupted while the app is down, and a new app on the
// same data reads them: the running app keeps its own copy of the rows it wrote (the store is
// the table's only writer), so a row changed under it would not be read until then.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import path from 'node:path';
import Database from 'better-sqlite3';
import supertest from 'supertest';
import { startStack, type Stack } from './helpers/stack.js';
import { failureLines } from './helpers/logs.js';

const stacks: Stack[] = [];
let stack: Stack;
const cookies = new Map<string, string>();
const sidOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];

const GARBAGE = [
  'garbage', '', '{"cookie":', '42', 'null', '[]', '"a string"', '{}', '{"cookie":5}', '{"cookie":[]}',
  '{"cookie":{},"token":5,"user":"ada"}',
  '{"cookie":{},"token":"abcdef0123456789abcdef","user":{"id":"1","name":7}}',
  '{"cookie":{"expires":"not a date"},"token":"abcdef0123456789abcdef"}',
];

const AGAIN = '{"cookie":5}';

beforeAll(async () => {
  const first = await startStack();
  stacks.push(first);
  for (const data of [...GARBAGE, AGAIN]) {
    const cookie = await first.loginCookie('ada_maker');
    expect((await supertest(first.url).get('/').set('Cookie', cookie)).text).toMatch(/Logged in as/);
    cookies.set(data, cookie);
  }
  await first.closeApp();
  const db = new Database(path.join(first.dataDir, 'app.db'));
  for (const [data, cookie] of cookies) expect(db.prepare('UPDATE sessions SET data = ? WHERE sid = ?').run(data, sidOf(cookie)).changes).toBe(1);
  db.close();
  stack = await startStack({
    dataDir: first.dataDir,
    existingSandbox: { sandbox: first.sandbox, url: first.sandboxUrl, port: Number(new URL(first.sandboxUrl).port) },
  });
  stacks.unshift(stack);
});
afterAll(async () => {
  for (const s of stacks) await s.close();
});

describe('a corrupt session row', () => {
  it.each(GARBAGE)('%j reads as logged out, not as a crash', async (data) => {
    const cookie = cookies.get(data)!;
    const mark = stack.logs.length;
    const home = await supertest(stack.url).get('/').set('Cookie', cookie);
    expect(home.status).toBe(200);
    expect(home.text).not.toMatch(/Logged in as/);
    expect(home.text).toMatch(/Log in with Thingiverse/);
    const liked = await supertest(stack.url).get('/liked').set('Cookie', cookie);
    expect(liked.status).toBe(401);
    expect(failureLines(stack.logs, mark).filter((l) => l.level >= 50)).toEqual([]);
  });

  it('logging in again afterwards works', async () => {
    await supertest(stack.url).get('/').set('Cookie', cookies.get(AGAIN)!).expect(200);
    const fresh = await stack.loginCookie('ada_maker');
    expect((await supertest(stack.url).get('/').set('Cookie', fresh)).text).toMatch(/Logged in as/);
  });
});
