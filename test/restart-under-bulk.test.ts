// A restart in the middle of a bulk job (issue 8): the stop pauses the job and waits for its
// writes in flight, sends nothing after, and marks the user's like state stale, so after the
// restart every card shows what Thingiverse has (before: 4 of 30 cards were wrong).
import { describe, it, expect, afterAll } from '@jest/globals';
import supertest from 'supertest';
import { startStack, type Stack } from './helpers/stack.js';
import { bulkUser, unlikedOnPopular } from './bulk-helpers.js';
import { waitFor } from './helpers/wait.js';

const stacks: Stack[] = [];
afterAll(async () => {
  for (const s of stacks.reverse()) await s.close();
});

const shownLiked = (html: string, id: number) => /class="(un)?like"/.exec(html.slice(html.indexOf(`id="thing-${id}"`)))?.[1] === 'un';
const likePosts = (stack: Stack, mark: number) =>
  stack.sandbox.requests().slice(mark).filter((r) => r.method === 'POST' && /\/things\/\d+\/likes$/.test(r.url)).length;

describe('stopping the app while a bulk job runs', () => {
  it('waits for the writes in flight, sends no more, and the restarted app shows the true state', async () => {
    const first = await startStack({ timeoutMs: 5000 });
    const u = await bulkUser(first, 'ada_maker');
    const pageNo = 2;
    const ids = (await unlikedOnPopular(first, u, 'ada_maker', pageNo)).slice(0, 30);
    first.sandbox.addFault({ kind: 'latency', ms: 150, route: 'POST /things/:id/likes' });
    const mark = first.sandbox.requests().length;
    const started = await u.start('like', ids).expect(303);
    const jobId = String(started.headers.location).split('/').pop()!;
    await waitFor('the job to be writing', () => likePosts(first, mark) >= 2);
    const userId = first.sandbox.users().find((x) => x.name === 'ada_maker')!.id;
    const job = first.services.jobs.get(userId, jobId)!;

    await first.closeApp();
    const sent = likePosts(first, mark);
    expect(job.state).toBe('cancelled');
    // Every write that went out was answered before the stop finished.
    expect(job.view(Date.now()).counts.done).toBe(sent);
    first.sandbox.clearFaults();

    const second = await startStack({
      dataDir: first.dataDir,
      existingSandbox: { sandbox: first.sandbox, url: first.sandboxUrl, port: Number(new URL(first.sandboxUrl).port) },
    });
    stacks.push(second, first);
    expect(likePosts(first, mark)).toBe(sent);
    const html = (await supertest(second.url).get(`/?page=${pageNo}`).set('Cookie', u.cookie).expect(200)).text;
    const truth = new Set(first.sandbox.likedIds('ada_maker'));
    const wrong = ids.filter((id) => shownLiked(html, id) !== truth.has(id));
    expect(wrong).toEqual([]);
    expect(ids.filter((id) => truth.has(id)).length).toBe(sent);
  });
});
