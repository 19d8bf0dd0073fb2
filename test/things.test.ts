// GET / and the like/unlike actions, against the sandbox over real HTTP.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
// Each test starts from the seed, whatever earlier tests liked, faulted or were limited on.
beforeEach(() => stack.reset());

const articles = (html: string) => html.match(/<article class="card" id="thing-\d+">/g) ?? [];
const firstThingId = (html: string) => Number(/id="thing-(\d+)"/.exec(html)?.[1]);
const buttonFor = (html: string, id: number) => {
  const card = html.slice(html.indexOf(`id="thing-${id}"`));
  return /<button type="submit" class="(like|unlike)"[^>]*>(Like|Unlike)<span class="sr"> ([^<]*)<\/span>/.exec(card);
};

async function loggedIn(user = 'ada_maker') {
  const cookie = await stack.loginCookie(user);
  const get = (path: string) => supertest(stack.url).get(path).set('Cookie', cookie);
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    supertest(stack.url).post(path).set('Cookie', cookie).set(headers).type('form').send(form);
  return { cookie, get, post };
}

describe('GET / (popular things)', () => {
  it('logged out: shows the list read-only with the App Token, and a login link instead of like buttons', async () => {
    const res = await supertest(stack.url).get('/').expect(200);
    expect(articles(res.text)).toHaveLength(30);
    expect(res.text).toMatch(/<a class="button" href="\/login">Log in with Thingiverse<\/a>/);
    expect(res.text).not.toMatch(/data-like-form/);
    expect(res.text).toMatch(/<h2><a href="\/things\/\d+">[^<]+<\/a><\/h2>/);
  });

  it('logged out without an App Token: only the login, no list and no upstream call', async () => {
    const bare = await startStack({ configure: (c) => ({ ...c, thingiverse: { ...c.thingiverse, appToken: undefined } }) });
    try {
      const mark = bare.sandbox.requests().length;
      const res = await supertest(bare.url).get('/').expect(200);
      expect(articles(res.text)).toHaveLength(0);
      expect(res.text).toMatch(/appears once you log in/);
      expect(bare.sandbox.requests().slice(mark)).toHaveLength(0);
    } finally {
      await bare.close();
    }
  });

  it('logged in: each card has a heading, creator, image, count, link and a Like/Unlike button named after the thing', async () => {
    const u = await loggedIn();
    const res = await u.get('/').expect(200);
    expect(articles(res.text)).toHaveLength(30);
    const id = firstThingId(res.text);
    const button = buttonFor(res.text, id);
    expect(button?.[2]).toMatch(/^(Like|Unlike)$/);
    expect(button?.[3].length).toBeGreaterThan(0);
    expect(res.text).toMatch(/<p class="by">by [^<]+<\/p>/);
    expect(res.text).toMatch(/View on Thingiverse/);
    expect(res.text).toMatch(new RegExp(`<img src="${stack.sandboxUrl}/img/`));
    expect(res.text).toMatch(/Logged in as <strong>/);
    expect(res.headers['cache-control']).toContain('no-store');
  });

  it("marks exactly the things the user has liked (the sandbox's truth)", async () => {
    const u = await loggedIn('cleo_collects');
    const res = await u.get('/').expect(200);
    const truth = new Set(stack.sandbox.likedIds('cleo_collects'));
    const ids = [...res.text.matchAll(/id="thing-(\d+)"/g)].map((m) => Number(m[1]));
    for (const id of ids) expect(buttonFor(res.text, id)?.[2]).toBe(truth.has(id) ? 'Unlike' : 'Like');
    expect(ids.some((id) => truth.has(id))).toBe(true);
  });

  it('costs at most two upstream calls per view, and none when warm', async () => {
    const u = await loggedIn('bram_prints');
    const mark = stack.sandbox.requests().length;
    await u.get('/?page=3').expect(200);
    const cold = stack.sandbox.requests().slice(mark);
    expect(cold.length).toBeLessThanOrEqual(2);
    const mark2 = stack.sandbox.requests().length;
    await u.get('/?page=3').expect(200);
    expect(stack.sandbox.requests().slice(mark2)).toHaveLength(0);
  });

  it('paginates with real links', async () => {
    const page2 = await supertest(stack.url).get('/?page=2').expect(200);
    expect(page2.text).toMatch(/href="\/\?page=3"/);
    expect(page2.text).toMatch(/rel="prev" href="\/"/);
    const first = await supertest(stack.url).get('/');
    expect(firstThingId(page2.text)).not.toBe(firstThingId(first.text));
  });

  it.each(['0', '-1', 'abc', '1e3', '2.5', '99999', '١'])('refuses ?page=%s with 400 and a readable page', async (page) => {
    const res = await supertest(stack.url).get(`/?page=${encodeURIComponent(page)}`);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/page number/);
  });

  it('escapes Thingiverse text: names with markup are shown, never executed (L3)', async () => {
    const pages = await Promise.all([1, 2, 3, 4, 5].map((p) => supertest(stack.url).get(`/?page=${p}`)));
    const html = pages.map((r) => r.text).join('\n');
    expect(html).not.toMatch(/<v2>|<script>alert|<b>not bold/i);
    expect(html).toMatch(/&lt;|&amp;|&#34;/);
  });
});

describe('POST /things/:id/like and /unlike', () => {
  it('likes, then 303s back to the page and card; the page then offers Unlike and the sandbox agrees', async () => {
    const u = await loggedIn();
    const page = await u.get('/?page=2');
    const id = [...page.text.matchAll(/id="thing-(\d+)"/g)].map((m) => Number(m[1]))
      .find((i) => buttonFor(page.text, i)?.[2] === 'Like') as number;
    const before = stack.sandbox.likedIds('ada_maker').includes(id);
    expect(before).toBe(false);
    const res = await u.post(`/things/${id}/like`, { _csrf: csrfFrom(page.text), returnTo: '/?page=2', name: 'X' }).expect(303);
    expect(res.headers.location).toBe(`/?page=2#thing-${id}`);
    expect(stack.sandbox.likedIds('ada_maker')).toContain(id);
    const after = await u.get('/?page=2');
    expect(buttonFor(after.text, id)?.[2]).toBe('Unlike');
    expect(after.text).toMatch(/Liked “X”/);
    const un = await u.post(`/things/${id}/unlike`, { _csrf: csrfFrom(after.text), returnTo: '/?page=2' }).expect(303);
    expect(un.headers.location).toBe(`/?page=2#thing-${id}`);
    expect(stack.sandbox.likedIds('ada_maker')).not.toContain(id);
    expect(buttonFor((await u.get('/?page=2')).text, id)?.[2]).toBe('Like');
  });

  it('sends exactly one POST upstream per like', async () => {
    const u = await loggedIn();
    const page = await u.get('/');
    const id = firstThingId(page.text);
    const mark = stack.sandbox.requests().length;
    await u.post(`/things/${id}/like`, { _csrf: csrfFrom(page.text) }).expect(303);
    const posts = stack.sandbox.requests().slice(mark).filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.url)).toEqual([`/things/${id}/likes`]);
    expect(posts[0].bearer).toBe(true);
  });

  it('answers JSON to scripted requests', async () => {
    const u = await loggedIn();
    const page = await u.get('/');
    const id = firstThingId(page.text);
    const res = await u.post(`/things/${id}/unlike`, { _csrf: csrfFrom(page.text) }, { Accept: 'application/json' }).expect(200);
    expect(res.body).toEqual({ id, liked: false, reconciled: false, savedHere: true });
  });

  it('needs a login', async () => {
    const res = await supertest(stack.url).post('/things/1/like').type('form').send({});
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/log in/i);
  });

  it.each([
    ['no token', () => ({})],
    ['a wrong token', () => ({ _csrf: 'f'.repeat(64) })],
  ])('refuses %s with 403 and no upstream call (C1)', async (_l, form) => {
    const u = await loggedIn();
    const id = firstThingId((await u.get('/')).text);
    const mark = stack.sandbox.requests().length;
    const res = await u.post(`/things/${id}/like`, form());
    expect(res.status).toBe(403);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });

  it("refuses another session's CSRF token, and cross-site requests even with a valid token", async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    const pageA = await a.get('/');
    const pageB = await b.get('/');
    const id = firstThingId(pageA.text);
    const mark = stack.sandbox.requests().length;
    expect((await a.post(`/things/${id}/like`, { _csrf: csrfFrom(pageB.text) })).status).toBe(403);
    expect((await a.post(`/things/${id}/like`, { _csrf: csrfFrom(pageA.text) }, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await a.post(`/things/${id}/like`, { _csrf: csrfFrom(pageA.text) }, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });

  it.each([
    '..%2F..%2Fusers%2Fme', '1%2F..%2F..%2Fusers%2Fme', '%2e%2e', '1%3Fx%3D1', '1%23x', '-1', '0', '007', '1e3',
    '%D9%A3', '1'.repeat(300), '1.5', '0x10', ' 1', '1%20', '1234567890123',
  ])('refuses id %s with 400 and no upstream call (P1, E3)', async (rawId) => {
    const u = await loggedIn();
    const page = await u.get('/');
    const mark = stack.sandbox.requests().length;
    const res = await u.post(`/things/${rawId}/like`, { _csrf: csrfFrom(page.text) });
    expect([400, 404]).toContain(res.status);
    expect(res.text).not.toMatch(/at .+\.(ts|js):\d+/);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });

  it.each([
    'https://evil.example', '//evil.example', '/\\evil.example', '%2F%2Fevil.example', 'javascript:alert(1)',
    '/liked/../../x', '/?page=2&x=https://evil', '/#x', 'http://localhost/x',
  ])('never redirects to returnTo=%s (O6)', async (target) => {
    const u = await loggedIn();
    const page = await u.get('/');
    const id = firstThingId(page.text);
    const res = await u.post(`/things/${id}/like`, { _csrf: csrfFrom(page.text), returnTo: target }).expect(303);
    expect(res.headers.location).toBe(`/#thing-${id}`);
  });

  it('shows a clear page when Thingiverse fails, and the user stays logged in', async () => {
    const u = await loggedIn();
    const page = await u.get('/?page=5');
    const id = [...page.text.matchAll(/id="thing-(\d+)"/g)].map((m) => Number(m[1])).find((i) => buttonFor(page.text, i)?.[2] === 'Like') as number;
    stack.sandbox.addFault({ kind: 'status', status: 503, route: 'POST /things/:id/likes', times: 1 });
    const res = await u.post(`/things/${id}/like`, { _csrf: csrfFrom(page.text), returnTo: '/' });
    expect(res.status).toBe(502);
    expect(res.text).toMatch(/Thingiverse is not answering/);
    expect(res.text).toMatch(/href="\/">Back to popular things/);
    expect(stack.sandbox.likedIds('ada_maker')).not.toContain(id);
    expect((await u.get('/')).text).toMatch(/Logged in as/);
  });

  it('a refused like of your own thing is told on its card, as an error, where the redirect lands', async () => {
    const u = await loggedIn('bram_prints');
    const token = stack.sandbox.issueToken('bram_prints');
    let mine: { id: number } | undefined;
    for (let p = 1; p <= 20 && !mine; p += 1) {
      const list = await supertest(stack.sandboxUrl).get(`/popular?per_page=100&page=${p}`).set('Authorization', `Bearer ${token}`);
      mine = (list.body as { id: number; creator: { name: string } }[]).find((t) => t.creator.name === 'bram_prints');
    }
    if (!mine) throw new Error('the seed should give bram_prints some things');
    const page = await u.get(`/things/${mine.id}`);
    // The thing page says "your thing" instead of offering the button; a hand-made POST is refused.
    expect(page.text).toMatch(/<p class="own">Your thing<\/p>/);
    expect(page.text).not.toMatch(/data-like-form/);
    const res = await u.post(`/things/${mine.id}/like`, { _csrf: csrfFrom(page.text), returnTo: `/things/${mine.id}` }).expect(303);
    expect(res.headers.location).toBe(`/things/${mine.id}#thing-${mine.id}`);
    const back = await u.get(`/things/${mine.id}`).expect(200);
    const box = back.text.slice(back.text.indexOf(`id="thing-${mine.id}"`));
    expect(box).toMatch(/^id="thing-\d+" tabindex="-1">/);
    expect(box).toMatch(/<p class="flash error" role="alert" data-like-result>[^<]*your own things/);
    // Told once, where the user is: not also at the top of the page.
    expect(back.text.match(/your own things/g)).toHaveLength(1);
  });

  it('an unknown thing gives 404 "gone"', async () => {
    const u = await loggedIn();
    const page = await u.get('/');
    const res = await u.post('/things/999999999/like', { _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/gone/);
  });

  it('a revoked token logs the user out with a clear message (401)', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const page = await supertest(stack.url).get('/').set('Cookie', cookie);
    stack.sandbox.addFault({ kind: 'status', status: 401, route: 'POST /things/:id/likes', times: 1 });
    const res = await supertest(stack.url).post(`/things/${firstThingId(page.text)}/like`).set('Cookie', cookie).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/no longer valid, please log in again/);
    expect((await supertest(stack.url).get('/').set('Cookie', cookie)).text).not.toMatch(/Logged in as/);
  });

  it('on 429 tells the user when to retry, then sends nothing until then', async () => {
    const u = await loggedIn();
    const page = await u.get('/');
    const id = firstThingId(page.text);
    stack.sandbox.addFault({ kind: 'ratelimit', route: 'POST /things/:id/likes', times: 1 });
    const res = await u.post(`/things/${id}/like`, { _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).toMatch(/try again in/);
    const mark = stack.sandbox.requests().length;
    const again = await u.post(`/things/${id}/like`, { _csrf: csrfFrom(page.text) });
    expect(again.status).toBe(429);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });
});
