// GET /things/:id against the sandbox over real HTTP: what the page shows, what it costs
// upstream, how it treats bad ids, and Like/Unlike from it without JavaScript.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

let stack: Stack;
let popular: { id: number; name: string; like_count: number; creator: { name: string } }[];
beforeAll(async () => {
  stack = await startStack();
  const res = await supertest(stack.sandboxUrl).get('/popular?per_page=100').set('Authorization', `Bearer ${SANDBOX_CLIENT.appToken}`).expect(200);
  popular = res.body;
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

async function loggedIn(user: string) {
  const cookie = await stack.loginCookie(user);
  return {
    get: (path: string) => supertest(stack.url).get(path).set('Cookie', cookie),
    post: (path: string, form: Record<string, string>) => supertest(stack.url).post(path).set('Cookie', cookie).type('form').send(form),
  };
}
const notBy = (user: string) => popular.filter((t) => t.creator.name !== user);
const likeCount = (html: string) => Number(/<dd data-like-count>([\d,]+)<\/dd>/.exec(html)?.[1].replace(/,/g, ''));

describe('GET /things/:id', () => {
  it('logged out (App Token): name as the heading, picture, creator linked to their things, no Like button', async () => {
    const t = popular[0];
    const res = await supertest(stack.url).get(`/things/${t.id}`).expect(200);
    expect(res.text).toMatch(/<h1>[^<]+<\/h1>/);
    expect(res.text).toMatch(new RegExp(`<img src="${stack.sandboxUrl}/img/things/${t.id}\\.svg`));
    expect(res.text).toMatch(/href="[^"]+\/designs" rel="noopener noreferrer">/);
    expect(res.text).toMatch(/View on Thingiverse/);
    expect(res.text).not.toMatch(/data-like-form/);
    expect(res.text).toMatch(/Log in<\/a> to like this thing/);
    expect(likeCount(res.text)).toBe(t.like_count);
  });

  it('logged in: the button follows the thing\'s own is_liked, and the page reads no liked-ids list', async () => {
    const u = await loggedIn('cleo_collects');
    const liked = new Set(stack.sandbox.likedIds('cleo_collects'));
    const yes = notBy('cleo_collects').find((t) => liked.has(t.id))!;
    const no = notBy('cleo_collects').find((t) => !liked.has(t.id))!;
    const mark = stack.sandbox.requests().length;
    const a = await u.get(`/things/${yes.id}`).expect(200);
    const b = await u.get(`/things/${no.id}`).expect(200);
    expect(a.text).toMatch(/class="unlike">Unlike<span class="sr">/);
    expect(b.text).toMatch(/class="like">Like<span class="sr">/);
    const calls = stack.sandbox.requests().slice(mark).map((r) => r.url.split('?')[0]);
    expect(calls).toContain(`/things/${yes.id}`);
    // The detail (and its images) only: never /likesids for the like state.
    for (const url of calls) expect(url).toMatch(/^\/things\/\d+(\/images)?$/);
  });

  it.each(['0', '007', 'abc', '1e3', '1234567890123', '%2e%2e'])('refuses id %s with 400 and no upstream call', async (raw) => {
    const mark = stack.sandbox.requests().length;
    const res = await supertest(stack.url).get(`/things/${raw}`);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/not a valid Thingiverse thing id/);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });

  it('a thing Thingiverse does not have is a 404 page', async () => {
    const res = await supertest(stack.url).get('/things/999999999');
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/gone from Thingiverse/);
  });

  it('without JavaScript: Like lands back on the thing with the new count and the message by the button', async () => {
    const u = await loggedIn('ada_maker');
    const liked = new Set(stack.sandbox.likedIds('ada_maker'));
    const t = notBy('ada_maker').find((x) => !liked.has(x.id))!;
    const page = await u.get(`/things/${t.id}`).expect(200);
    const before = likeCount(page.text);
    const res = await u.post(`/things/${t.id}/like`, { _csrf: csrfFrom(page.text), returnTo: `/things/${t.id}`, name: t.name }).expect(303);
    expect(res.headers.location).toBe(`/things/${t.id}#thing-${t.id}`);
    const after = await u.get(`/things/${t.id}`).expect(200);
    expect(likeCount(after.text)).toBe(before + 1);
    expect(after.text).toMatch(/class="unlike">Unlike/);
    expect(after.text).toMatch(new RegExp(`id="thing-${t.id}" tabindex="-1">`));
    expect(after.text).toMatch(/<p class="flash ok" role="status" data-like-result>Liked “/);
    // Not also at the top of the page.
    expect(after.text.match(/Liked “/g)).toHaveLength(1);
  });
});

describe('the box on every page', () => {
  it.each([
    (id: number) => String(id),
    (id: number) => `thing:${id}`,
    (id: number) => `https://www.thingiverse.com/thing:${id}`,
    (id: number) => `https://www.thingiverse.com/thing:${id}/files`,
  ])('opens a thing from an id or a Thingiverse address (%#)', async (make) => {
    const id = popular[3].id;
    const mark = stack.sandbox.requests().length;
    const res = await supertest(stack.url).get(`/search?q=${encodeURIComponent(make(id))}`).expect(303);
    expect(res.headers.location).toBe(`/things/${id}`);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });

  it('is on every page, labelled', async () => {
    for (const path of ['/', `/things/${popular[0].id}`, '/nope']) {
      const res = await supertest(stack.url).get(path);
      expect(res.text).toMatch(/<form class="find" role="search" method="get" action="\/search">/);
      expect(res.text).toMatch(/<label for="find-q">/);
    }
  });
});
