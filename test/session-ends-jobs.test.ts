// Logout ends the user's work (issue 8): a bulk job is cancelled, the writes already in flight
// finish before the logout answers, and no request with the token goes out afterwards. The
// same holds for a token Thingiverse stops accepting mid-job (the runner stops on its 401).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startStack, type Stack } from './helpers/stack.js';
import { bulkUser, unlikedOnPopular, writesSince } from './helpers/bulk-helpers.js';
import { waitFor } from './helpers/wait.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeoutMs: 5000 });
});
afterAll(() => stack.close());

const userId = (name: string) => stack.sandbox.users().find((u) => u.name === name)!.id;
const likePosts = (mark: number) => stack.sandbox.requests().slice(mark).filter((r) => r.method === 'POST' && /\/things\/\d+\/likes$/.test(r.url));

describe('logout stops the user\'s bulk job', () => {
  it('cancels it, waits for the writes in flight, and nothing is sent after the logout answered', async () => {
    const u = await bulkUser(stack, 'ada_maker');
    const ids = (await unlikedOnPopular(stack, u, 'ada_maker', 2)).slice(0, 40);
    // Every write takes 150 ms, so the job (4 at a time) is still busy when the logout comes.
    stack.sandbox.addFault({ kind: 'latency', ms: 150, route: 'POST /things/:id/likes' });
    const mark = stack.sandbox.requests().length;
    const started = await u.start('like', ids).expect(303);
    const jobId = String(started.headers.location).split('/').pop()!;
    await waitFor('the job\'s first writes to reach the sandbox', () => likePosts(mark).length >= 2);

    await u.post('/logout', `_csrf=${encodeURIComponent(u.csrf)}`).expect(303);
    const afterLogout = stack.sandbox.requests().length;
    const job = stack.services.jobs.get(userId('ada_maker'), jobId)!;
    // Answered only after the job ended: every write it sent was answered and counted.
    expect(job.state).toBe('cancelled');
    const view = job.view(Date.now());
    expect(view.counts.done).toBe(likePosts(mark).length);
    expect(view.counts.cancelled).toBeGreaterThan(0);
    expect(view.counts.done).toBeLessThan(ids.length);
    const writes = writesSince(stack, mark);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);

    // A later round trip through the sandbox: the job had nothing left to send.
    await stack.agent().get('/').expect(200);
    expect(stack.sandbox.requests().slice(afterLogout).filter((r) => r.bearer && r.url.includes('/likes'))).toEqual([]);
    stack.sandbox.clearFaults();
  });
});
