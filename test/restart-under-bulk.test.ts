// A restart in the middle of a bulk job (issues 8 and 11): the stop pauses the job and waits for
// its writes in flight, sends nothing after; the restarted app resumes the job from SQLite with
// the user's live session, finishes it without sending any write twice, and every card shows
// what Thingiverse has (before: 4 of 30 cards were wrong and the job page was a 404).
import { describe, it, expect, afterAll } from '@jest/globals';
import path from 'node:path';
import Database from 'better-sqlite3';
import supertest from 'supertest';
import { startStack, type Stack } from './helpers/stack.js';
import { bulkUser, unlikedOnPopular, writesSince } from './helpers/bulk-helpers.js';
import { waitFor } from './helpers/wait.js';

const stacks: Stack[] = [];
afterAll(async () => {
  for (const s of stacks.reverse()) await s.close();
});

const shownLiked = (html: string, id: number) => /class="(un)?like"/.exec(html.slice(html.indexOf(`id="thing-${id}"`)))?.[1] === 'un';
const likePosts = (stack: Stack, mark: number) =>
  stack.sandbox.requests().slice(mark).filter((r) => r.method === 'POST' && /\/things\/\d+\/likes$/.test(r.url)).length;

describe('stopping the app while a bulk job runs', () => {
  it('pauses it, then the restarted app resumes and finishes it: each write once, the pages true', async () => {
    const first = await startStack({ timeoutMs: 5000 });
    const u = await bulkUser(first, 'ada_maker');
    const pageNo = 2;
    const ids = (await unlikedOnPopular(first, u, 'ada_maker', pageNo)).slice(0, 30);
    first.sandbox.addFault({ kind: 'latency', ms: 150, route: 'POST /things/:id/likes' });
    const mark = first.sandbox.requests().length;
    const started = await u.start('like', ids).expect(303);
    const jobUrl = String(started.headers.location);
    const jobId = jobUrl.split('/').pop()!;
    await waitFor('the job to be writing', () => likePosts(first, mark) >= 2);
    const userId = first.sandbox.users().find((x) => x.name === 'ada_maker')!.id;
    const job = first.services.jobs.get(userId, jobId)!;

    await first.closeApp();
    const sent = likePosts(first, mark);
    // Every write that went out was answered before the stop finished, and the job is not done.
    expect(job.view(Date.now()).counts.done).toBe(sent);
    expect(sent).toBeLessThan(ids.length);
    first.sandbox.clearFaults();

    const second = await startStack({
      dataDir: first.dataDir,
      existingSandbox: { sandbox: first.sandbox, url: first.sandboxUrl, port: Number(new URL(first.sandboxUrl).port) },
    });
    stacks.push(second, first);
    const resumed = second.services.jobs.get(userId, jobId);
    expect(resumed).toBeDefined();
    await second.services.jobs.settled(jobId);
    const view = (await supertest(second.url).get(jobUrl).set('Cookie', u.cookie).set('Accept', 'application/json').expect(200)).body;
    expect(view.state).toBe('finished');
    expect(view.counts.done + view.counts.already).toBe(ids.length);
    expect(view.counts.failed).toBe(0);

    // No write twice, across the stop and the resume.
    const writes = writesSince(first, mark);
    expect([...writes.keys()].sort()).toEqual([...ids].sort());
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    const html = (await supertest(second.url).get(`/?page=${pageNo}`).set('Cookie', u.cookie).expect(200)).text;
    const truth = new Set(first.sandbox.likedIds('ada_maker'));
    expect(ids.every((id) => truth.has(id))).toBe(true);
    expect(ids.filter((id) => shownLiked(html, id) !== truth.has(id))).toEqual([]);
  });

  it('a job whose user logged out before the restart is not resumed', async () => {
    const first = await startStack({ timeoutMs: 5000 });
    const u = await bulkUser(first, 'bram_prints');
    const ids = (await unlikedOnPopular(first, u, 'bram_prints', 3)).slice(0, 20);
    first.sandbox.addFault({ kind: 'latency', ms: 150, route: 'POST /things/:id/likes' });
    const mark = first.sandbox.requests().length;
    const jobId = String((await u.start('like', ids).expect(303)).headers.location).split('/').pop()!;
    await waitFor('the job to be writing', () => likePosts(first, mark) >= 1);
    await first.closeApp();
    first.sandbox.clearFaults();
    // The session ends while the app is down (as a logout in the store would leave it).
    const db = new Database(path.join(first.dataDir, 'app.db'));
    db.prepare('DELETE FROM sessions').run();
    db.close();
    const sent = likePosts(first, mark);

    const second = await startStack({
      dataDir: first.dataDir,
      existingSandbox: { sandbox: first.sandbox, url: first.sandboxUrl, port: Number(new URL(first.sandboxUrl).port) },
    });
    stacks.push(second, first);
    const userId = first.sandbox.users().find((x) => x.name === 'bram_prints')!.id;
    const job = second.services.jobs.get(userId, jobId)!;
    expect(job.state).toBe('cancelled');
    await second.agent().get('/').expect(200);
    expect(likePosts(first, mark)).toBe(sent);
  });
});
