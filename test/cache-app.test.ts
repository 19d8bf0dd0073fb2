// What a page view costs upstream, counted in the sandbox's request log: single flight for a
// burst, like-state bookkeeping without extra calls, and no cost growth with a like history.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, callsSince, type Stack } from './helpers/stack.js';

let stack: Stack; // popular cache on (30 s)
let uncached: Stack; // POPULAR_CACHE_SECONDS=0: every view pays for /popular
beforeAll(async () => {
  stack = await startStack({ sandbox: { heavyLikes: 10_000 } });
  uncached = await startStack({ sandbox: { heavyLikes: 10_000 }, env: { POPULAR_CACHE_SECONDS: '0' } });
});
afterAll(async () => {
  await stack.close();
  await uncached.close();
});
beforeEach(() => Promise.all([stack.reset(), uncached.reset()]));

const paths = (s: Stack, mark: number) =>
  callsSince(s.sandbox, mark).map((r) => `${r.method} ${r.url.split('?')[0].replace(/^\/users\/[^/]+/, '/users/:name')}`);
const buttonOf = (html: string, id: number) =>
  /<button type="submit" class="(like|unlike)"/.exec(html.slice(html.indexOf(`id="thing-${id}"`)))?.[1];

describe('popular page cost', () => {
  it('20 concurrent cold requests for one page make exactly one upstream /popular call (and one likesids)', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const mark = stack.sandbox.requests().length;
    const pages = await Promise.all(Array.from({ length: 20 }, () => supertest(stack.url).get('/?page=7').set('Cookie', cookie)));
    for (const p of pages) expect(p.status).toBe(200);
    const calls = paths(stack, mark);
    expect(calls.filter((c) => c === 'GET /popular')).toHaveLength(1);
    expect(calls.filter((c) => c.endsWith('/likesids'))).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });

  it('like and unlike update the snapshot: the next views cost nothing upstream and show the new state', async () => {
    const cookie = await stack.loginCookie('dara_new');
    const get = () => supertest(stack.url).get('/?page=4').set('Cookie', cookie).expect(200);
    const page = await get();
    const id = Number(/id="thing-(\d+)"/.exec(page.text)![1]);
    expect(buttonOf(page.text, id)).toBe('like');
    for (const [action, expected] of [['like', 'unlike'], ['unlike', 'like']] as const) {
      const mark = stack.sandbox.requests().length;
      await supertest(stack.url).post(`/things/${id}/${action}`).set('Cookie', cookie).type('form')
        .send({ _csrf: csrfFrom(page.text), returnTo: '/?page=4' }).expect(303);
      const after = await get();
      expect(paths(stack, mark)).toEqual([`${action === 'like' ? 'POST' : 'DELETE'} /things/${id}/likes`]);
      expect(buttonOf(after.text, id)).toBe(expected);
    }
  });

  it('a user with 10,000 likes pays the same upstream calls per view as a user with none', async () => {
    expect(uncached.sandbox.likedIds('heavy_liker')).toHaveLength(10_000);
    const cost = async (user: string) => {
      const cookie = await uncached.loginCookie(user);
      const mark = uncached.sandbox.requests().length;
      let html = '';
      for (const page of [1, 2, 3, 1, 2, 3]) html = (await supertest(uncached.url).get(`/?page=${page}`).set('Cookie', cookie).expect(200)).text;
      return { calls: paths(uncached, mark), html };
    };
    const heavy = await cost('heavy_liker');
    const none = await cost('dara_new');
    // One /popular per view (caching is off here), one likesids for the first view only.
    expect(heavy.calls).toEqual(none.calls);
    expect(heavy.calls.filter((c) => c === 'GET /popular')).toHaveLength(6);
    expect(heavy.calls.filter((c) => c.endsWith('/likesids'))).toHaveLength(1);
    // And the snapshot is right for both: heavy_liker likes every listed thing, dara_new none.
    expect(heavy.html.match(/class="unlike"/g)).toHaveLength(30);
    expect(none.html).not.toMatch(/class="unlike"/);
  });
});

describe('liked page cost', () => {
  it('10,000 likes: the first view waits for one page of 100; then any page, search or sort costs nothing upstream', async () => {
    const cookie = await stack.loginCookie('heavy_liker');
    const get = (path: string) => supertest(stack.url).get(path).set('Cookie', cookie).expect(200);
    const mark = stack.sandbox.requests().length;
    const first = await get('/liked');
    expect(first.text.match(/<article class="card"/g)).toHaveLength(30);
    expect(paths(stack, mark).slice(0, 2)).toEqual(['GET /users/:name/likesids', 'GET /users/:name/likes']);
    // The rest of the index fills in the background (100 per call); wait for its end, seen on the page.
    const until = Date.now() + 15_000;
    while ((await get('/liked')).text.includes('Updating from Thingiverse') && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(paths(stack, mark).filter((c) => c === 'GET /users/:name/likes')).toHaveLength(100);
    const mark2 = stack.sandbox.requests().length;
    const deep = await get('/liked?page=300');
    expect(deep.text).toMatch(/<strong>10,000<\/strong> liked things/);
    expect(deep.text.match(/<article class="card"/g)).toHaveLength(30);
    expect(deep.text).toMatch(/Archived design/);
    expect((await get('/liked?q=archived+design&sort=name&page=5')).text.match(/<article class="card"/g)).toHaveLength(30);
    expect(callsSince(stack.sandbox, mark2)).toEqual([]);
  });
});
