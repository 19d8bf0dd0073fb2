// /liked/import over real HTTP with the sandbox: the no-JS form, the preview, bad files
// (a clear 4xx, nothing sent), match mode's second confirmation, and export -> import into
// another user reproducing the likes exactly.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { cardIds, likedUser, type LikedUser } from './helpers/liked-helpers.js';
import type { BulkJobView } from '../src/jobs/job-view.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

/** Requests that could change anything upstream (likes), since a mark. */
const writesSince = (mark: number) => stack.sandbox.requests().slice(mark).filter((r) => r.method !== 'GET');
const importId = (html: string) => /name="import" value="([0-9a-f]{32})"/.exec(html)?.[1];
const count = (html: string, what: string) => Number(new RegExp(`data-count="${what}">([\\d,]+)<`).exec(html)![1]!.replace(/,/g, ''));

async function waitJob(u: LikedUser, url: string): Promise<BulkJobView> {
  const until = Date.now() + 10_000;
  for (;;) {
    const view = (await u.get(url).set('Accept', 'application/json').expect(200)).body as BulkJobView;
    if (view.state !== 'running') return view;
    if (Date.now() > until) throw new Error(`job still running: ${view.summary}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('GET /liked/import', () => {
  it('is a plain form that works without JavaScript: a textarea, the match option, CSRF', async () => {
    const u = await likedUser(stack, 'ada_maker');
    const html = (await u.get('/liked/import').expect(200)).text;
    expect(html).toMatch(/<form method="post" action="\/liked\/import"/);
    expect(html).toMatch(/<textarea id="import-text" name="file"/);
    expect(html).toMatch(/<label for="import-text">/);
    expect(html).toMatch(/<input type="checkbox" name="match" value="1">/);
    expect(html).toMatch(/<p data-import-file hidden>/); // the file input waits for the script
    expect(html).toMatch(/At most\s+1 MB and 20,000 things/);
    await supertest(stack.url).get('/liked/import').expect(401);
  });
});

describe('POST /liked/import: the preview', () => {
  it('counts what would be liked, what is already liked and the refused lines, and sends nothing', async () => {
    const u = await likedUser(stack, 'ada_maker');
    const liked = stack.sandbox.likedIds('ada_maker');
    const fresh = cardIds((await u.get('/?page=5').expect(200)).text).filter((id) => !liked.includes(id)).slice(0, 3);
    const file = [
      '# from a friend', String(liked[0]), `https://www.thingiverse.com/thing:${liked[1]}/files`, `thing:${fresh[0]}`,
      `https://thingiverse.com/thing:${fresh[1]}`, String(fresh[2]), String(fresh[2]), 'https://www.printables.com/model/1', '0042',
    ].join('\n');
    const mark = stack.sandbox.requests().length;
    const res = await u.post('/liked/import', { file });
    expect(res.status).toBe(200);
    expect([count(res.text, 'in-file'), count(res.text, 'to-like'), count(res.text, 'already'), count(res.text, 'refused')]).toEqual([5, 3, 2, 2]);
    expect(res.text).toContain('Line 8: Not a Thingiverse address (www.printables.com).');
    expect(res.text).toMatch(/Line 9: Not a valid thing id/);
    expect(res.text).not.toMatch(/data-count="to-unlike"/);
    expect(res.text).toMatch(/<button type="submit">Start: like 3<\/button>/);
    expect(importId(res.text)).toBeDefined();
    expect(writesSince(mark)).toEqual([]);
  });

  it('shows the first 20 refused lines of many', async () => {
    const u = await likedUser(stack, 'ada_maker');
    const file = ['1', ...Array.from({ length: 25 }, (_, i) => `junk ${i}`)].join('\n');
    const html = (await u.post('/liked/import', { file })).text;
    expect(html).toMatch(/Refused \(the first 20 of 25\)/);
    expect(html.match(/<li>Line \d+: /g)).toHaveLength(20);
    expect(html).toContain('<li>Line 21: ');
    expect(html).not.toContain('<li>Line 22: ');
  });
});

describe('bad files get a clear 4xx page and nothing is sent', () => {
  const cases: [string, string, number, RegExp][] = [
    ['binary', 'PNG\u0000\u0000\u0001', 400, /This is not a text file/],
    ['bad JSON', '{\n "format": "thingiverse-likes/1",\n "things": [ {"id": 1} oops ]\n}', 400, /Line 3: The file starts like JSON but is not valid JSON\. Nothing was sent/],
    ['a wrong format tag', JSON.stringify({ format: 'other-app/3', things: [] }), 400, /not in this app&#39;s format &#34;thingiverse-likes\/1&#34;/],
    ['a CSV without an id column', 'name,creator\nx,y', 400, /Line 1: A CSV file needs a header row with an &#34;id&#34; column/],
    ['too many ids', Array.from({ length: 20_001 }, (_, i) => i + 1).join('\n'), 400, /Line 20001: The file has more than 20,000 thing ids: split it into smaller files\./],
    ['too big', '1\n'.repeat(600_000), 413, /larger than 1 MB/],
    ['empty', '   ', 400, /Choose a file or paste its text first/],
  ];
  it.each(cases)('%s', async (_name, file, status, message) => {
    const u = await likedUser(stack, 'bram_prints');
    const mark = stack.sandbox.requests().length;
    const res = await u.post('/liked/import', { file });
    expect(res.status).toBe(status);
    expect(res.text).toMatch(message);
    expect(res.text).not.toMatch(/ at \w+ \(|node_modules/);
    expect(stack.sandbox.requests().slice(mark)).toEqual([]);
  });

  it('without a CSRF token, or from another site, it is refused', async () => {
    const u = await likedUser(stack, 'bram_prints');
    await supertest(stack.url).post('/liked/import').set('Cookie', u.cookie).type('form').send({ file: '1' }).expect(403);
    await supertest(stack.url).post('/liked/import').set('Cookie', u.cookie).set('Sec-Fetch-Site', 'cross-site').type('form')
      .send({ file: '1', _csrf: await u.csrf() }).expect(403);
  });

  it('when Thingiverse cannot be reached the preview is a clear 502, not a guess', async () => {
    const u = await likedUser(stack, 'bram_prints');
    const csrf = await u.csrf();
    await stack.stopSandbox();
    try {
      const res = await supertest(stack.url).post('/liked/import').set('Cookie', u.cookie).type('form').send({ _csrf: csrf, file: '123\n456' });
      expect(res.status).toBe(502);
      expect(res.text).not.toMatch(/name="import"/);
    } finally {
      await stack.startSandbox();
    }
  });

  it('an unknown or used preview id is a 404', async () => {
    const u = await likedUser(stack, 'bram_prints');
    expect((await u.post('/liked/import/confirm', { import: 'f'.repeat(32) })).status).toBe(404);
    expect((await u.post('/liked/import/confirm', { import: '../x' })).status).toBe(404);
  });
});

describe('confirming', () => {
  it('match mode needs the second tick with the count; then the account matches the file', async () => {
    const u = await likedUser(stack, 'bram_prints');
    const before = stack.sandbox.likedIds('bram_prints');
    const keep = before.slice(0, 2);
    const add = cardIds((await u.get('/?page=6').expect(200)).text).filter((id) => !before.includes(id)).slice(0, 2);
    const preview = (await u.post('/liked/import', { file: [...keep, ...add].join('\n'), match: '1' })).text;
    expect(count(preview, 'to-unlike')).toBe(before.length - 2);
    expect(preview).toContain(`<input type="checkbox" name="confirmUnlike" value="1" required> Yes, unlike ${before.length - 2} things that are not in the file`);
    const id = importId(preview)!;
    const mark = stack.sandbox.requests().length;
    const unticked = await u.post('/liked/import/confirm', { import: id });
    expect(unticked.status).toBe(400);
    expect(unticked.text).toMatch(new RegExp(`Tick “Yes, unlike ${before.length - 2} things”`));
    expect(writesSince(mark)).toEqual([]);
    const res = await u.post('/liked/import/confirm', { import: id, confirmUnlike: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/bulk\/[0-9a-f]{32}$/);
    expect((await waitJob(u, res.headers.location)).counts).toMatchObject({ done: 2, failed: 0 });
    // The unlike job followed the like job; the liked page links to it while it runs.
    const jobLink = /<a href="(\/bulk\/[0-9a-f]{32})">A bulk job is running<\/a>/.exec((await u.get('/liked').expect(200)).text)?.[1];
    if (jobLink) expect((await waitJob(u, jobLink)).action).toBe('unlike');
    await new Promise((r) => setImmediate(r));
    const until = Date.now() + 5000;
    while (stack.sandbox.likedIds('bram_prints').length !== 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(new Set(stack.sandbox.likedIds('bram_prints'))).toEqual(new Set([...keep, ...add]));
    // The preview was used: confirming it again does nothing.
    expect((await u.post('/liked/import/confirm', { import: id, confirmUnlike: '1' })).status).toBe(404);
  });

  it('export from one user, import into another with match: the likes are reproduced exactly', async () => {
    const ada = await likedUser(stack, 'ada_maker');
    const exported = (await ada.get('/liked/export?format=json').expect(200)).text;
    const adaLikes = stack.sandbox.likedIds('ada_maker');
    expect(JSON.parse(exported).things).toHaveLength(adaLikes.length);

    const dara = await likedUser(stack, 'dara_new');
    // dara likes two things ada does not, so match mode has something to unlike.
    const home = (await dara.get('/?page=7').expect(200)).text;
    const own = cardIds(home).filter((id) => !adaLikes.includes(id)).slice(0, 2);
    for (const id of own) {
      await supertest(stack.url).post(`/things/${id}/like`).set('Cookie', dara.cookie).type('form').send({ _csrf: csrfFrom(home) }).expect(303);
    }
    const preview = (await dara.post('/liked/import', { file: exported, match: '1' })).text;
    expect([count(preview, 'to-like'), count(preview, 'already'), count(preview, 'to-unlike'), count(preview, 'refused')]).toEqual([adaLikes.length, 0, 2, 0]);
    const mark = stack.sandbox.requests().length;
    const res = await dara.post('/liked/import/confirm', { import: importId(preview)!, confirmUnlike: '1' });
    const likeJob = await waitJob(dara, res.headers.location);
    expect(likeJob).toMatchObject({ action: 'like', total: adaLikes.length, counts: { done: adaLikes.length, failed: 0 } });
    const jobLink = /<a href="(\/bulk\/[0-9a-f]{32})">A bulk job is running<\/a>/.exec((await dara.get('/liked').expect(200)).text)?.[1];
    if (jobLink) expect((await waitJob(dara, jobLink)).counts).toMatchObject({ done: 2, failed: 0 });
    const until = Date.now() + 5000;
    while (stack.sandbox.likedIds('dara_new').length !== adaLikes.length && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect([...stack.sandbox.likedIds('dara_new')].sort()).toEqual([...adaLikes].sort());
    // One POST per missing like, one DELETE per extra: nothing sent twice.
    const writes = writesSince(mark);
    expect(writes.filter((w) => w.method === 'POST')).toHaveLength(adaLikes.length);
    expect(writes.filter((w) => w.method === 'DELETE').map((w) => w.url).sort()).toEqual(own.map((id) => `/things/${id}/likes`).sort());
    // And dara's own export now lists the same things.
    const again = JSON.parse((await dara.get('/liked/export?format=json').expect(200)).text);
    expect(again.things.map((t: { id: number }) => t.id).sort()).toEqual([...adaLikes].sort());
  });

  it('CSV export imports too (the same ids, nothing refused)', async () => {
    const ada = await likedUser(stack, 'ada_maker');
    const csv = (await ada.get('/liked/export?format=csv').expect(200)).text;
    const preview = (await ada.post('/liked/import', { file: csv })).text;
    expect([count(preview, 'in-file'), count(preview, 'to-like'), count(preview, 'already'), count(preview, 'refused')])
      .toEqual([stack.sandbox.likedIds('ada_maker').length, 0, stack.sandbox.likedIds('ada_maker').length, 0]);
    expect(preview).toMatch(/Nothing to do: your likes already match the file/);
  });
});
