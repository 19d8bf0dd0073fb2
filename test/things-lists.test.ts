// The list pages over real HTTP: strict query checks before any upstream call, a pager that
// knows where it is, counts that stay true after a like despite the 30 s list cache, and
// "your thing" on the cards of your own things.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const card = (html: string, id: number) => {
  const start = html.indexOf(`<article class="card" id="thing-${id}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</article>', start));
};
const countOn = (html: string, id: number) => Number(/data-like-count>([\d,]+)</.exec(card(html, id))?.[1].replace(/,/g, ''));
const ids = (html: string) => [...html.matchAll(/<article class="card" id="thing-(\d+)"/g)].map((m) => Number(m[1]));

async function loggedIn(user: string) {
  const cookie = await stack.loginCookie(user);
  return {
    get: (path: string) => supertest(stack.url).get(path).set('Cookie', cookie),
    post: (path: string, form: Record<string, string>, accept = 'text/html') =>
      supertest(stack.url).post(path).set('Cookie', cookie).set('Accept', accept).type('form').send(form),
  };
}

describe('list queries are checked before anything is sent', () => {
  it.each([
    '/?sort=relevant', '/?sort=hot', '/?sort=popular&sort=newest', '/?featured=yes', '/?page=0',
    '/search?q=' + 'x'.repeat(101), '/search?q=a%00b', '/search?sort=text&q=a', '/search?q=a&q=b',
  ])('%s → 400 with a readable page and no upstream call', async (path) => {
    const mark = stack.sandbox.requests().length;
    const res = await supertest(stack.url).get(path);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<p class="message">[^<]{10,}<\/p>/);
    expect(res.text).not.toMatch(/at .+\.(ts|js):\d+/);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });

  it('a search without words asks for some, without an upstream call', async () => {
    const mark = stack.sandbox.requests().length;
    const res = await supertest(stack.url).get('/search').expect(200);
    expect(res.text).toMatch(/Type what you are looking for/);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });
});

describe('the pager', () => {
  it('is at the top and the bottom, each labelled, and says which page this is', async () => {
    const res = await supertest(stack.url).get('/?page=2').expect(200);
    expect(res.text).toMatch(/<nav class="pager" aria-label="Pages, top">/);
    expect(res.text).toMatch(/<nav class="pager" aria-label="Pages, bottom">/);
    expect(res.text.match(/<span>Page 2(<| of)/g)).toHaveLength(2);
    expect(res.text).toMatch(/rel="prev" href="\/"/);
    expect(res.text).toMatch(/rel="next" href="\/\?page=3"/);
  });

  it('an empty page past the end offers the way back to the last page, which has no Next', async () => {
    // Newest comes from /search, whose answer carries the total.
    const res = await supertest(stack.url).get('/?sort=newest&page=900').expect(200);
    expect(ids(res.text)).toHaveLength(0);
    expect(res.text).not.toMatch(/rel="next"/);
    const back = /Page 900 is past the end of this list\. <a href="\/\?sort=newest&amp;page=(\d+)">Back to page (\d+)<\/a>/.exec(res.text);
    expect(back?.[1]).toBe(back?.[2]);
    const last = await supertest(stack.url).get(`/?sort=newest&page=${back![1]}`).expect(200);
    expect(ids(last.text).length).toBeGreaterThan(0);
    expect(last.text).toContain(`<span>Page ${back![1]} of ${back![1]} · `);
    expect(last.text).not.toMatch(/rel="next"/);
  });
});

describe('the pager without a total (the plain popular list)', () => {
  it('past the end: back one page, or to the first; no Next', async () => {
    const res = await supertest(stack.url).get('/?page=900').expect(200);
    expect(ids(res.text)).toHaveLength(0);
    expect(res.text).toMatch(/<a href="\/\?page=899">Back to page 899<\/a> or <a href="\/">the first page<\/a>/);
    expect(res.text).not.toMatch(/rel="next"/);
  });
});

describe('counts after a like, with the list cache warm', () => {
  it('the card shows the new count after a like, and again after unlike: a reload never goes back', async () => {
    const u = await loggedIn('dara_new');
    const first = await u.get('/?page=2').expect(200); // warms the 30 s cache
    const liked = new Set(stack.sandbox.likedIds('dara_new'));
    const id = ids(first.text).find((i) => !liked.has(i) && /data-like-form/.test(card(first.text, i)))!;
    const before = countOn(first.text, id);
    const loads = stack.sandbox.requests().filter((r) => r.url.startsWith('/popular')).length;

    await u.post(`/things/${id}/like`, { _csrf: csrfFrom(first.text), returnTo: '/?page=2' }).expect(303);
    const after = await u.get('/?page=2').expect(200);
    expect(countOn(after.text, id)).toBe(before + 1);
    // Still the cached list (no new /popular read): the overlay told the truth, not a refetch.
    expect(stack.sandbox.requests().filter((r) => r.url.startsWith('/popular')).length).toBe(loads);
    // Another user's view of the same cached page agrees.
    expect(countOn((await supertest(stack.url).get('/?page=2')).text, id)).toBeGreaterThanOrEqual(before);

    const res = await u.post(`/things/${id}/unlike`, { _csrf: csrfFrom(after.text) }, 'application/json').expect(200);
    expect(res.body.liked).toBe(false);
    expect(countOn((await u.get('/?page=2')).text, id)).toBe(before);
  });

  it('the like form returns to the list it came from, and the message is on that card', async () => {
    const u = await loggedIn('cleo_collects');
    const page = await u.get('/?page=3').expect(200);
    const liked = new Set(stack.sandbox.likedIds('cleo_collects'));
    const id = ids(page.text).find((i) => !liked.has(i) && /data-like-form/.test(card(page.text, i)))!;
    expect(card(page.text, id)).toMatch(/name="returnTo" value="\/\?page=3"/);
    await u.post(`/things/${id}/like`, { _csrf: csrfFrom(page.text), returnTo: '/?page=3', name: 'N' }).expect(303);
    const back = await u.get('/?page=3');
    expect(card(back.text, id)).toMatch(/<p class="flash ok" role="status" data-like-result>Liked “N”\.<\/p>/);
    expect(back.text).toMatch(new RegExp(`id="thing-${id}" tabindex="-1"`));
    expect(back.text.match(/Liked “N”/g)).toHaveLength(1);
  });
});

describe('your own things', () => {
  it('say "Your thing" on their cards instead of a Like button or a Select box', async () => {
    // The creator of the most popular thing, logged in: their thing is on page 1.
    const top = await supertest(stack.url).get('/');
    const mine = ids(top.text)[0];
    const detail = await supertest(stack.sandboxUrl).get(`/things/${mine}`).set('Authorization', `Bearer ${stack.sandbox.issueToken('ada_maker')}`);
    const u = await loggedIn((detail.body as { creator: { name: string } }).creator.name);
    const html = (await u.get('/')).text;
    expect(card(html, mine)).toMatch(/<p class="own">Your thing<\/p>/);
    expect(card(html, mine)).not.toMatch(/data-like-form|name="ids"/);
  });
});
