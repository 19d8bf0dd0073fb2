// GET /things/:id against the sandbox over real HTTP: what the page shows, what it costs
// upstream (the thing each time, its images once per 10 minutes), how it treats bad ids, and
// Like/Unlike from it without JavaScript.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { THING_IMAGES_CACHE } from '../src/services.js';

let stack: Stack;
let popular: { id: number; name: string; like_count: number; creator: { name: string }; thumbnail: string }[];
let offset = 0; // the app's clock runs `offset` ms ahead of the real one
beforeAll(async () => {
  stack = await startStack({ now: () => Date.now() + offset });
  const res = await supertest(stack.sandboxUrl).get('/popular?per_page=100').set('Authorization', `Bearer ${SANDBOX_CLIENT.appToken}`).expect(200);
  popular = res.body;
});
afterAll(() => stack.close());
beforeEach(async () => {
  offset = 0;
  await stack.reset();
});

async function loggedIn(user: string) {
  const cookie = await stack.loginCookie(user);
  return {
    get: (path: string) => supertest(stack.url).get(path).set('Cookie', cookie),
    post: (path: string, form: Record<string, string>) => supertest(stack.url).post(path).set('Cookie', cookie).type('form').send(form),
  };
}
const notBy = (user: string) => popular.filter((t) => t.creator.name !== user);
const likeCount = (html: string) => Number(/<dd data-like-count>([\d,]+)<\/dd>/.exec(html)?.[1].replace(/,/g, ''));
const callsSince = (mark: number) => stack.sandbox.requests().slice(mark).map((r) => `${r.method} ${r.url}`).sort();
const picturesOf = (html: string) => html.match(/<div class="pictures">[\s\S]*?<\/div>/)?.[0] ?? '';
/** The upstream calls one view of the page makes, and its HTML. */
async function view(id: number, get = (path: string) => supertest(stack.url).get(path)) {
  const mark = stack.sandbox.requests().length;
  const res = await get(`/things/${id}`).expect(200);
  return { calls: callsSince(mark), html: res.text };
}

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

describe('what a view costs upstream', () => {
  const both = (id: number) => [`GET /things/${id}`, `GET /things/${id}/images`];

  it('the first view reads the thing and its images; a repeat view, by anyone, reads only the thing', async () => {
    const t = notBy('cleo_collects')[1]!;
    const first = await view(t.id);
    expect(first.calls).toEqual(both(t.id));
    expect(picturesOf(first.html)).toMatch(/<img src="/);
    const u = await loggedIn('cleo_collects');
    const again = await view(t.id, u.get);
    expect(again.calls).toEqual([`GET /things/${t.id}`]);
    expect(picturesOf(again.html)).toBe(picturesOf(first.html));
  });

  it('the like state and count stay fresh: a like made elsewhere shows on the next view, still one call', async () => {
    const liked = new Set(stack.sandbox.likedIds('ada_maker'));
    const t = notBy('ada_maker').find((x) => !liked.has(x.id))!;
    const u = await loggedIn('ada_maker');
    const before = await view(t.id, u.get);
    expect(before.html).toMatch(/class="like">Like<span class="sr">/);
    // Liked on Thingiverse itself, not through this app: no snapshot of the app's knows it.
    await supertest(stack.sandboxUrl).post(`/things/${t.id}/likes`).set('Authorization', `Bearer ${stack.sandbox.issueToken('ada_maker')}`).expect(200);
    const after = await view(t.id, u.get);
    expect(after.calls).toEqual([`GET /things/${t.id}`]);
    expect(after.html).toMatch(/class="unlike">Unlike<span class="sr">/);
    expect(likeCount(after.html)).toBe(likeCount(before.html) + 1);
  });

  it('images older than the cache\'s 10 minutes are read again', async () => {
    const t = popular[4]!;
    expect((await view(t.id)).calls).toEqual(both(t.id));
    offset = THING_IMAGES_CACHE.ttlMs - 1000;
    expect((await view(t.id)).calls).toEqual([`GET /things/${t.id}`]);
    offset = THING_IMAGES_CACHE.ttlMs + 1;
    expect((await view(t.id)).calls).toEqual(both(t.id));
  });

  it('a failed images read costs the page nothing and is not kept: the next view reads them again', async () => {
    const t = popular[5]!;
    stack.sandbox.addFault({ kind: 'status', status: 500, route: 'GET /things/:id/images', times: 1 });
    const failed = await view(t.id);
    expect(failed.calls).toEqual(both(t.id));
    // Only the thing's own image instead of the gallery.
    expect(picturesOf(failed.html).match(/<img /g)).toHaveLength(1);
    const next = await view(t.id);
    expect(next.calls).toEqual(both(t.id));
    expect(picturesOf(next.html).match(/<img /g)!.length).toBeGreaterThan(1);
  });

  it('a cached gallery is checked again on every view: an .stl "image" never reaches the page', async () => {
    const stl = popular.slice(0, 30).find((t) => /\.stl/i.test(t.thumbnail));
    if (!stl) throw new Error('the sandbox seeds an .stl thumbnail on the first popular page');
    const gallery = await supertest(stack.sandboxUrl).get(`/things/${stl.id}/images`).set('Authorization', `Bearer ${SANDBOX_CLIENT.appToken}`).expect(200);
    expect(JSON.stringify(gallery.body)).toMatch(/\.stl/);
    const views = [await view(stl.id), await view(stl.id)];
    expect(views.map((v) => v.calls.length)).toEqual([2, 1]);
    for (const { html } of views) {
      expect(html).not.toMatch(/<img src="[^"]+\.stl/i);
      expect(picturesOf(html)).toMatch(/<span class="noimg"/);
    }
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
