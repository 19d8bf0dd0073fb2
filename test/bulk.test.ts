// Bulk like/unlike end to end: the pages' forms, the job's writes as the sandbox saw them,
// the status page with and without JavaScript, and one running job per user.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { startStack, type Stack } from './helpers/stack.js';
import { bulkUser, unlikedOnPopular, writesSince } from './helpers/bulk-helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { latencyMs: 2 } });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

describe('the pages offer bulk actions that work without JavaScript', () => {
  it('popular: a Select box per card in #bulk-form, outside each card\'s own like form, and an all-on-this-page form', async () => {
    const u = await bulkUser(stack, 'ada_maker');
    const html = (await u.get('/?page=2').expect(200)).text;
    expect(html).toMatch(/<form id="bulk-form" method="post" action="\/bulk"/);
    const boxes = [...html.matchAll(/<input type="checkbox" name="ids" value="(\d+)" form="bulk-form">/g)];
    expect(boxes).toHaveLength(30);
    // Each box sits in its card, before (not inside) that card's like form.
    const card = html.slice(html.indexOf(`id="thing-${boxes[0]![1]}"`));
    expect(card.indexOf('form="bulk-form"')).toBeLessThan(card.indexOf('<form method="post" action="/things/'));
    const all = html.slice(html.indexOf('class="bulk-all"'));
    expect(all.slice(0, all.indexOf('</form>')).match(/type="hidden" name="ids"/g)).toHaveLength(30);
    expect(html).toMatch(/<button type="submit" name="action" value="like"[^>]*>Like selected/);
    expect(html).toMatch(/<label class="pick"><input type="checkbox"[^>]*> Select<span class="sr"> [^<]+<\/span><\/label>/);
  });

  it('liked: offers Unlike for the selection and the page only', async () => {
    const u = await bulkUser(stack, 'cleo_collects');
    const html = (await u.get('/liked').expect(200)).text;
    expect(html).toMatch(/Unlike selected/);
    expect(html).toMatch(/Unlike all 30 on this page/);
    expect(html).not.toMatch(/value="like"/);
  });

  it('logged out: no bulk controls', async () => {
    const html = (await (await import('supertest')).default(stack.url).get('/').expect(200)).text;
    expect(html).not.toMatch(/bulk-form/);
  });
});

describe('POST /bulk runs a job', () => {
  it('likes N things with exactly one POST each, skips the already-liked ones, and reports both', async () => {
    const u = await bulkUser(stack, 'ada_maker');
    const fresh = (await unlikedOnPopular(stack, u, 'ada_maker', 3)).slice(0, 12);
    const already = stack.sandbox.likedIds('ada_maker').slice(0, 3);
    const mark = stack.sandbox.requests().length;
    const res = await u.start('like', [...fresh, ...already], 'returnTo=%2F%3Fpage%3D3').expect(303);
    expect(res.headers.location).toMatch(/^\/bulk\/[0-9a-f]{32}$/);
    const view = await u.waitDone(res.headers.location);
    expect(view.counts).toMatchObject({ done: 12, already: 3, failed: 0, pending: 0 });
    expect(view.summary).toBe('15 of 15 done: 12 liked, 3 already liked, 0 failed.');
    const writes = writesSince(stack, mark);
    expect([...writes.keys()].sort()).toEqual([...fresh].sort());
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    for (const id of fresh) expect(stack.sandbox.likedIds('ada_maker')).toContain(id);
    // The like-state snapshot learned it too: the page shows Unlike with no extra upstream call.
    const mark2 = stack.sandbox.requests().length;
    const page = (await u.get('/?page=3').expect(200)).text;
    const cardOf = (id: number) => page.slice(page.indexOf(`id="thing-${id}"`), page.indexOf('</article>', page.indexOf(`id="thing-${id}"`)));
    for (const id of fresh) expect(cardOf(id)).toMatch(/<button type="submit" class="unlike"/);
    expect(stack.sandbox.requests().slice(mark2).filter((r) => r.url.includes('likesids'))).toHaveLength(0);

    // And back: unlike them all with one DELETE each.
    const mark3 = stack.sandbox.requests().length;
    const undo = await u.waitDone((await u.start('unlike', fresh).expect(303)).headers.location);
    expect(undo.counts).toMatchObject({ done: 12, already: 0, failed: 0 });
    expect([...writesSince(stack, mark3, 'DELETE').values()]).toEqual(Array(12).fill(1));
    for (const id of fresh) expect(stack.sandbox.likedIds('ada_maker')).not.toContain(id);
  });

  it('JSON clients get 202 with the job; a second job while one runs is refused with a link to it', async () => {
    const u = await bulkUser(stack, 'dara_new');
    const ids = (await unlikedOnPopular(stack, u, 'dara_new', 5)).slice(0, 20);
    stack.sandbox.addFault({ kind: 'latency', route: 'POST /things/:id/likes', ms: 60 });
    try {
      const first = await u.post('/bulk', `_csrf=${u.csrf}&action=like&${ids.map((i) => `ids=${i}`).join('&')}`, true).expect(202);
      expect(first.body).toMatchObject({ state: 'running', total: 20, url: `/bulk/${first.body.id}` });
      const second = await u.post('/bulk', `_csrf=${u.csrf}&action=unlike&ids=${ids[0]}`, true).expect(409);
      expect(second.body).toMatchObject({ error: 'job_running', url: first.body.url });
      const html = await u.start('unlike', [ids[0]!]).expect(303);
      expect(html.headers.location).toBe(first.body.url);

      // The no-JS status page while running: progress bar with a label, live summary, self-refresh, cancel.
      const page = (await u.get(first.body.url).expect(200)).text;
      expect(page).toMatch(/<noscript><meta http-equiv="refresh" content="2"><\/noscript>/);
      expect(page).toMatch(/<label for="bulk-progress">Progress<\/label>\s*<progress id="bulk-progress" max="20" value="\d+">/);
      expect(page).toMatch(/role="status" aria-live="polite"/);
      expect(page).toMatch(/already have a bulk job running/);
      expect(page).toMatch(new RegExp(`action="${first.body.url}/cancel"`));
      expect(page).toMatch(/data-bulk-state="running"/);

      const done = await u.waitDone(first.body.url);
      expect(done.counts.done).toBe(20);
      const after = (await u.get(first.body.url).expect(200)).text;
      expect(after).not.toMatch(/http-equiv="refresh"/);
      expect(after).toMatch(/<progress id="bulk-progress" max="20" value="20">/);
      expect(after).toMatch(/20 of 20 done: 20 liked/);
    } finally {
      stack.sandbox.clearFaults();
    }
  });

  it('the job survives a reload and a new login of the same user (it lives on the server, keyed by user)', async () => {
    const u = await bulkUser(stack, 'bram_prints');
    const ids = (await unlikedOnPopular(stack, u, 'bram_prints', 6)).slice(0, 3);
    const url = (await u.start('like', ids).expect(303)).headers.location as string;
    await u.waitDone(url);
    const again = await bulkUser(stack, 'bram_prints');
    const res = await again.get(url, true).expect(200);
    expect(res.body.counts.done + res.body.counts.failed).toBe(3);
    expect(JSON.stringify(res.body)).not.toMatch(/token|cookie/i);
  });
});

describe('POST /bulk/:jobId/retry', () => {
  it('starts a new job for exactly the failed things, once the job has ended', async () => {
    const u = await bulkUser(stack, 'ada_maker');
    const fresh = (await unlikedOnPopular(stack, u, 'ada_maker', 4)).slice(0, 6);
    // Two of the six fail with a plain 503 (not ambiguous: known not done).
    stack.sandbox.addFault({ kind: 'status', status: 503, route: `POST /things/${fresh[1]}/likes` });
    stack.sandbox.addFault({ kind: 'status', status: 503, route: `POST /things/${fresh[4]}/likes` });
    const first = await u.waitDone((await u.start('like', fresh).expect(303)).headers.location);
    expect(first.counts).toMatchObject({ done: 4, failed: 2 });
    stack.sandbox.clearFaults();
    const mark = stack.sandbox.requests().length;
    const retried = await u.post(`/bulk/${first.id}/retry`, `_csrf=${encodeURIComponent(u.csrf)}`, true).expect(202);
    const second = await u.waitDone(retried.body.url);
    expect((await u.results(retried.body.url)).map((i) => i.id).sort()).toEqual([fresh[1], fresh[4]].sort());
    expect(second.counts).toMatchObject({ done: 2, failed: 0 });
    // The finished first job's page offers the retry as a plain form.
    const firstPage = (await u.get(`/bulk/${first.id}`).expect(200)).text;
    expect(firstPage).toMatch(new RegExp(`<form method="post" action="/bulk/${first.id}/retry">`));
    expect(firstPage).toMatch(/Retry the failed ones \(2\)/);
    expect([...writesSince(stack, mark).keys()].sort()).toEqual([fresh[1], fresh[4]].sort());
    // Nothing left to retry now.
    const again = await u.post(`/bulk/${second.id}/retry`, `_csrf=${encodeURIComponent(u.csrf)}`, true);
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/Nothing failed/);
  });
});
