// Corrupt session data at the app level: whatever is in the sessions table for a live sid,
// the user is treated as logged out (200 pages, 401 where a login is needed), never a 500.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, type Stack } from './helpers/stack.js';
import { failureLines } from './helpers/logs.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const sidOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];

const GARBAGE = [
  'garbage', '', '{"cookie":', '42', 'null', '[]', '"a string"', '{}', '{"cookie":5}', '{"cookie":[]}',
  '{"cookie":{},"token":5,"user":"ada"}',
  '{"cookie":{},"token":"abcdef0123456789abcdef","user":{"id":"1","name":7}}',
  '{"cookie":{"expires":"not a date"},"token":"abcdef0123456789abcdef"}',
];

describe('a corrupt session row', () => {
  it.each(GARBAGE)('%j reads as logged out, not as a crash', async (data) => {
    const cookie = await stack.loginCookie('ada_maker');
    expect((await supertest(stack.url).get('/').set('Cookie', cookie)).text).toMatch(/Logged in as/);
    const changed = stack.db.prepare('UPDATE sessions SET data = ? WHERE sid = ?').run(data, sidOf(cookie)).changes;
    expect(changed).toBe(1);
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
    const cookie = await stack.loginCookie('ada_maker');
    stack.db.prepare('UPDATE sessions SET data = ? WHERE sid = ?').run('{"cookie":5}', sidOf(cookie));
    await supertest(stack.url).get('/').set('Cookie', cookie).expect(200);
    const fresh = await stack.loginCookie('ada_maker');
    expect((await supertest(stack.url).get('/').set('Cookie', fresh)).text).toMatch(/Logged in as/);
  });
});
