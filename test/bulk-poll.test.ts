// A job's poll stays small however big the job: a 20,000-thing import answers with the counts,
// the latest things changed and the first failures (a few KB, where it was every item), the
// job page lists at most 20 of each, and ?after=<cursor> still hands out every item's result,
// each once, a page at a time.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { BulkJob } from '../src/jobs/bulk-job.js';
import { CHANGES_PAGE, VIEW_SHOWN, type BulkJobView } from '../src/jobs/job-view.js';
import { startStack, type Stack } from './helpers/stack.js';
import { likedUser } from './helpers/liked-helpers.js';
import { waitFor } from './helpers/wait.js';

const N = 20_000;
const ids = Array.from({ length: N }, (_, i) => i + 1);
/** Over 2 KB for the counts and texts, 20 changed ids and 20 failures with their reasons: a bound that is not job-sized. */
const POLL_BYTES = 6_000;

describe('the view of a 20,000-thing job', () => {
  const USER = { id: 7, name: 'ada_maker', displayName: 'Ada' };

  it('has the counts, the latest 20 changed (newest first), the first 20 failures, and stays a few KB', () => {
    const job = new BulkJob(USER, 'like', ids, '/liked', 0);
    // Things end in another order than the job's: from the end, every 10th already liked, every 7th failing.
    for (const item of [...job.items].reverse()) {
      if (item.id % 10 === 0) job.mark(item, 'already');
      else if (item.id % 7 === 0) job.mark(item, 'failed', 'Thingiverse could not find this thing (it may have been deleted).');
      else job.mark(item, 'done');
    }
    const view = job.view(0);
    expect(view.counts).toMatchObject({ pending: 0, already: 2000, failed: ids.filter((i) => i % 10 !== 0 && i % 7 === 0).length });
    const done = ids.filter((i) => i % 10 !== 0 && i % 7 !== 0);
    expect(view.changed).toEqual(done.slice(0, VIEW_SHOWN)); // done last = the lowest ids
    expect(view.failures.map((f) => f.id)).toEqual([7, 14, 21, 28, 35, 42, 49, 56, 63, 77, 84, 91, 98, 105, 112, 119, 126, 133, 147, 154]);
    expect(view).not.toHaveProperty('items');
    expect(view).not.toHaveProperty('changes');
    expect(JSON.stringify(view).length).toBeLessThan(POLL_BYTES);
  });

  it('pages through every result with a cursor, in the order things ended, each once', () => {
    const job = new BulkJob(USER, 'unlike', ids, '/liked', 0);
    for (const item of job.items.slice(0, 1234)) job.mark(item, 'done');
    let page = job.view(0, { after: 0 }).changes!;
    expect(page).toMatchObject({ after: 0, cursor: CHANGES_PAGE, more: true });
    expect(page.items).toHaveLength(CHANGES_PAGE);
    page = job.view(0, { after: 1000 }).changes!;
    expect(page).toMatchObject({ after: 1000, cursor: 1234, more: false });
    expect(page.items.map((i) => i.id)).toEqual(ids.slice(1000, 1234));
    // A cancel ends the rest: they follow, as cancelled.
    job.cancel();
    job.finish(1);
    page = job.view(0, { after: 1234 }).changes!;
    expect(page.items[0]).toEqual({ id: 1235, status: 'cancelled' });
    // A cursor past the end (from before a restart) gives an empty page at the end, not an error.
    expect(job.view(0, { after: 10 ** 6 }).changes).toEqual({ after: N, cursor: N, more: false, items: [] });
  });
});

describe('GET /bulk/:id of a 20,000-thing import over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A budget of 10 writes for jobs (60 minus the reserve of 50): the job soon waits, running.
    stack = await startStack({ overrides: { rateLimit: { limit: 60, windowMs: 60_000 } } });
  });
  afterAll(() => stack.close());

  it('polls a few KB, lists 20 at most on the page, and ?after= pages out every result once', async () => {
    const u = await likedUser(stack, 'dara_new');
    const preview = (await u.post('/liked/import', { file: ids.join('\n') })).text;
    const importId = /name="import" value="([0-9a-f]{32})"/.exec(preview)![1]!;
    const started = await u.post('/liked/import/confirm', { import: importId });
    const url = String(started.headers.location);
    const json = (path: string) => u.get(path).set('Accept', 'application/json').expect(200);
    // Waiting for its budget, after its first writes (things this sandbox does not have: they fail).
    const res = await waitFor('the job to wait for its budget', async () => {
      const r = await json(url);
      return (r.body as BulkJobView).waitSeconds !== null && r;
    });
    const view = res.body as BulkJobView;
    expect(view).toMatchObject({ state: 'running', total: N });
    expect(view.handled).toBeGreaterThan(0);
    expect(res.text.length).toBeLessThan(POLL_BYTES);

    const html = (await u.get(url).expect(200)).text;
    expect(html.length).toBeLessThan(30_000);
    expect((html.match(/<li>Thing \d+: /g) ?? []).length).toBeLessThanOrEqual(VIEW_SHOWN);

    await u.post(`${url}/cancel`, {});
    await stack.services.jobs.settled(url.split('/').pop()!);
    const seen = new Map<number, string>();
    let pages = 0;
    for (let after = 0, more = true; more; pages++) {
      const { changes } = (await json(`${url}?after=${after}`)).body as Required<BulkJobView>;
      for (const item of changes.items) seen.set(item.id, item.status);
      ({ cursor: after, more } = changes);
    }
    expect(pages).toBe(N / CHANGES_PAGE);
    expect(seen.size).toBe(N); // N results in N / CHANGES_PAGE pages: each once
    expect([...seen.values()].filter((s) => s === 'cancelled').length).toBe(N - view.handled);
    expect((await u.get(`${url}?after=-1`).set('Accept', 'application/json')).status).toBe(400);
  });
});
