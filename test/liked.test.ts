// GET /liked from the local liked index, over real HTTP with the sandbox: totals, search,
// sort, pages that keep q and sort, the refresh control, and that a page never waits for a
// full refresh.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { cardIds, likedUser } from './helpers/liked-helpers.js';

let stack: Stack;
let offset = 0; // the app's clock runs `offset` ms ahead of the real one
beforeAll(async () => {
  stack = await startStack({ now: () => Date.now() + offset });
});
afterAll(() => stack.close());
// The seed again, no index and the real time: the first-view test needs an index no other test filled.
beforeEach(async () => {
  offset = 0;
  await stack.reset();
});

const upstreamSince = (mark: number) => stack.sandbox.requests().slice(mark).map((r) => `${r.method} ${r.url}`);

describe('GET /liked', () => {
  it('asks to log in when logged out', async () => {
    const res = await supertest(stack.url).get('/liked');
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/href="\/login\?next=%2Fliked"/);
  });

  it('the first view reads the liked ids and one page of 100, and shows the total', async () => {
    const u = await likedUser(stack, 'ada_maker');
    const mark = stack.sandbox.requests().length;
    const html = (await u.get('/liked').expect(200)).text;
    expect(cardIds(html)).toEqual(stack.sandbox.likedIds('ada_maker'));
    expect(html).toMatch(/<strong>12<\/strong> liked things\./);
    expect(upstreamSince(mark)).toEqual(['GET /users/ada_maker/likesids', 'GET /users/ada_maker/likes?page=1&per_page=100']);
    expect(html).toMatch(/>Unlike<span/);
    expect(html).not.toMatch(/class="like"/);
  });

  it('1,200 likes: the first view waits for one page only; then every page comes from the index with no upstream call', async () => {
    const u = await likedUser(stack, 'cleo_collects');
    const truth = stack.sandbox.likedIds('cleo_collects');
    const first = (await u.get('/liked').expect(200)).text;
    expect(cardIds(first)).toEqual(truth.slice(0, 30));
    const settled = await u.settled();
    expect(settled).toMatch(/<strong>1,200<\/strong> liked things\./);
    expect(settled).toMatch(/Updated just now/);
    const mark = stack.sandbox.requests().length;
    const p7 = (await u.get('/liked?page=7').expect(200)).text;
    expect(cardIds(p7)).toEqual(truth.slice(180, 210));
    expect(p7).toMatch(/rel="prev" href="\/liked\?page=6"/);
    expect(p7).toMatch(/rel="next" href="\/liked\?page=8"/);
    expect(upstreamSince(mark)).toEqual([]);
    expect((await u.get('/liked?page=41').expect(200)).text).toMatch(/No more liked things/);
  });

  it('searches words in the name or creator, sorts, and keeps q and sort in the pager', async () => {
    const u = await likedUser(stack, 'cleo_collects');
    await u.settled();
    const all = (await u.get('/liked?sort=name').expect(200)).text;
    const names = [...all.matchAll(/<h2><a href="\/things\/\d+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1]!);
    expect(names).toHaveLength(30);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    const word = names[0]!.split(/\s+/)[0]!.toLowerCase();
    const found = (await u.get(`/liked?q=${encodeURIComponent(word.toUpperCase())}&sort=likes`).expect(200)).text;
    const matching = Number(/<strong>([\d,]+)<\/strong> matching “/.exec(found)![1]!.replace(/,/g, ''));
    expect(matching).toBeGreaterThan(0);
    expect(matching).toBeLessThan(1200);
    const cards = found.split('<article class="card"').slice(1);
    for (const c of cards) expect(c.toLowerCase()).toContain(word);
    const counts = cards.map((c) => Number(/data-like-count>([\d,]+)</.exec(c)![1]!.replace(/,/g, '')));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(found).toMatch(new RegExp(`value="${word.toUpperCase()}"`));
    expect(found).toMatch(/<option value="likes" selected>/);
    if (matching > 30) expect(found).toContain(`href="/liked?q=${encodeURIComponent(word.toUpperCase())}&amp;sort=likes&amp;page=2"`);
    expect((await u.get('/liked?q=zzzqqqxxx').expect(200)).text).toMatch(/Nothing you liked matches that/);
    const hostile = (await u.get(`/liked?q=${encodeURIComponent('"><script>alert(1)</script>')}`).expect(200)).text;
    expect(hostile).not.toContain('<script>alert(1)');
    expect(hostile).toContain('&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses a bad sort or page with a 400 page', async () => {
    const u = await likedUser(stack, 'ada_maker');
    expect((await u.get('/liked?sort=price').expect(400)).text).toMatch(/Sort by recent, name, likes or creator/);
    await u.get('/liked?page=0').expect(400);
    await u.get('/liked?q=a&q=b').expect(400);
  });

  it('a like made here shows first at once; an unlike made here disappears at once', async () => {
    const u = await likedUser(stack, 'ada_maker');
    await u.settled();
    const home = (await u.get('/?page=4').expect(200)).text;
    const id = cardIds(home).find((i) => !stack.sandbox.likedIds('ada_maker').includes(i))!;
    await supertest(stack.url).post(`/things/${id}/like`).set('Cookie', u.cookie).type('form').send({ _csrf: csrfFrom(home) }).expect(303);
    const liked = (await u.get('/liked').expect(200)).text;
    expect(cardIds(liked)[0]).toBe(id);
    expect(liked).toMatch(/<strong>13<\/strong> liked things/);
    // Its details arrive with the background refresh the like made due.
    expect(liked).toContain(`<h2><a href="/things/${id}">Thing ${id}</a></h2>`);
    const after = await u.settled();
    const card = after.slice(after.indexOf(`id="thing-${id}"`), after.indexOf('</article>', after.indexOf(`id="thing-${id}"`)));
    expect(card).toMatch(/<h2><a href="\/things\/\d+">[^<]+<\/a><\/h2>/);
    expect(card).not.toContain(`>Thing ${id}</a></h2>`);
    await supertest(stack.url).post(`/things/${id}/unlike`).set('Cookie', u.cookie).type('form')
      .send({ _csrf: csrfFrom(after), returnTo: '/liked' }).expect(303);
    const gone = (await u.get('/liked').expect(200)).text;
    expect(cardIds(gone)).not.toContain(id);
    expect(gone).toMatch(/<strong>12<\/strong> liked things/);
  });

  it('"updated 3 minutes ago · refresh": the control needs CSRF and refreshes; an old index refreshes by itself', async () => {
    const u = await likedUser(stack, 'bram_prints');
    const html = await u.settled();
    expect(html).toMatch(/Updated just now ·<\/span>\s*<button type="submit" class="link">refresh<\/button>/);
    offset += 3 * 60_000;
    expect((await u.get('/liked').expect(200)).text).toMatch(/Updated 3 minutes ago/);
    await supertest(stack.url).post('/liked/refresh').set('Cookie', u.cookie).type('form').send({}).expect(403);
    let mark = stack.sandbox.requests().length;
    const res = await u.post('/liked/refresh', {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/liked');
    expect(await u.settled()).toMatch(/Updated just now/);
    expect(upstreamSince(mark).filter((c) => c.includes('/users/bram_prints/likes'))).toHaveLength(2);
    // Older than the 30-minute setting: the next view starts a refresh and does not wait for it.
    offset += 31 * 60_000;
    mark = stack.sandbox.requests().length;
    stack.sandbox.addFault({ kind: 'latency', route: 'GET /users/:name/likes', ms: 300 });
    try {
      const started = Date.now();
      const stale = (await u.get('/liked').expect(200)).text;
      expect(Date.now() - started).toBeLessThan(250);
      expect(stale).toMatch(/Updating from Thingiverse…/);
      expect(cardIds(stale)).toHaveLength(5);
      expect(await u.settled()).toMatch(/Updated just now/);
    } finally {
      stack.sandbox.clearFaults();
    }
    expect(upstreamSince(mark).length).toBeGreaterThan(0);
  });

  it('maps an upstream outage on the very first view to a clear 502 page', async () => {
    const u = await likedUser(stack, 'dara_new');
    stack.sandbox.addFault({ kind: 'status', status: 500, route: 'GET /users/:name/likesids', times: 1 });
    const res = await u.get('/liked');
    stack.sandbox.clearFaults();
    expect(res.status).toBe(502);
    expect(res.text).toMatch(/not answering/);
  });
});
