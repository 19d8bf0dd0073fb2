// S4: a session ended while one of its requests is still waiting on Thingiverse stays ended.
// The slow request finishing later must neither write the session back nor hand the browser a
// fresh cookie for it; the same for a dead token and a new login in another tab.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { csrfFrom, startStack, type Stack } from './helpers/stack.js';
import { waitFor } from './helpers/wait.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeoutMs: 5000 });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const sidOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
const rows = (sid: string) => (stack.db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE sid = ?').get(sid) as { n: number }).n;
const loggedIn = async (cookie: string) => /Logged in as/.test((await supertest(stack.url).get('/').set('Cookie', cookie)).text);

async function slowFormLike(cookie: string) {
  const page = await supertest(stack.url).get('/').set('Cookie', cookie).expect(200);
  const thingId = Number(/id="thing-(\d+)"/.exec(page.text)![1]);
  const mark = stack.sandbox.requests().length;
  // Held back long enough for the other tab's request to finish first; the client waits 5 s.
  stack.sandbox.addFault({ kind: 'latency', ms: 400, route: 'POST /things/:id/likes', times: 1 });
  const like = supertest(stack.url).post(`/things/${thingId}/like`).set('Cookie', cookie).type('form')
    .send({ _csrf: csrfFrom(page.text), returnTo: '/' }).then((r) => r);
  await waitFor('the like to reach the sandbox', () =>
    stack.sandbox.requests().slice(mark).find((r) => r.method === 'POST' && r.url.endsWith('/likes')));
  return { like, csrf: csrfFrom(page.text) };
}

describe('an ended session stays ended whatever finishes later', () => {
  it('logout in another tab while a form like is in flight: the old cookie is anonymous, no row, no new cookie', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const sid = sidOf(cookie);
    expect(rows(sid)).toBe(1);
    const { like, csrf } = await slowFormLike(cookie);
    await supertest(stack.url).post('/logout').set('Cookie', cookie).type('form').send({ _csrf: csrf }).expect(303);
    expect(rows(sid)).toBe(0);

    const answered = await like;
    expect(answered.status).toBe(303);
    expect(answered.headers['set-cookie']).toBeUndefined();
    expect(rows(sid)).toBe(0);
    expect(await loggedIn(cookie)).toBe(false);
    expect(rows(sid)).toBe(0);
  });

  it('a new login in the same browser (session regenerated) while a like is in flight does not revive the old id', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const sid = sidOf(cookie);
    const { like } = await slowFormLike(cookie);
    // Regenerating (what login does) ends the old id just as logout does.
    await new Promise<void>((resolve, reject) => stack.sessionStore.destroy(sid, (e) => (e ? reject(e) : resolve())));
    const answered = await like;
    expect(answered.headers['set-cookie']).toBeUndefined();
    expect(rows(sid)).toBe(0);
    expect(await loggedIn(cookie)).toBe(false);
  });

  it('the store never recreates an ended id, and a live session still saves normally', async () => {
    const cookie = await stack.loginCookie('bram_prints');
    const sid = sidOf(cookie);
    const data = (stack.db.prepare('SELECT data FROM sessions WHERE sid = ?').get(sid) as { data: string }).data;
    const set = (id: string) => new Promise<void>((resolve, reject) =>
      stack.sessionStore.set(id, JSON.parse(data), (e) => (e ? reject(e) : resolve())));
    await set(sid);
    expect(rows(sid)).toBe(1);
    await new Promise<void>((resolve) => stack.sessionStore.destroy(sid, () => resolve()));
    await set(sid);
    expect(rows(sid)).toBe(0);
    expect(stack.sessionStore.isEnded(sid)).toBe(true);
    expect(stack.sessionStore.isEnded('never-seen')).toBe(false);
  });
});
