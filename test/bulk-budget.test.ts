// A bulk job against a Thingiverse whose budget is far smaller than the app assumes (20 per
// 2 s here, 300 per 5 min assumed): the 429 comes, the job waits the retry time and carries
// on, and no thing is lost or liked twice. (That it slows down before a 429 when the app
// knows the budget is covered on a fake clock in bulk-runner.test.ts.)
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startStack, type Stack } from './helpers/stack.js';
import { bulkUser, unlikedOnPopular, writesSince } from './helpers/bulk-helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { latencyMs: 2, rateLimit: { limit: 20, windowMs: 2000 } } });
});
afterAll(() => stack.close());

describe('bulk job vs a small rate limit', () => {
  it('waits after a 429 and finishes every thing, each accepted once', async () => {
    const u = await bulkUser(stack, 'dara_new');
    const ids = (await unlikedOnPopular(stack, u, 'dara_new', 2)).slice(0, 30);
    const mark = stack.sandbox.requests().length;
    const url = (await u.start('like', ids).expect(303)).headers.location as string;
    const view = await u.waitDone(url, 15_000);
    expect(view.counts).toMatchObject({ done: 30, failed: 0 });
    expect(view.rateLimited).toBeGreaterThanOrEqual(1);
    const writes = writesSince(stack, mark);
    // One accepted POST per thing; the extra ones are exactly the refused (429) ones.
    expect(writes.size).toBe(30);
    expect([...writes.values()].reduce((a, b) => a + b, 0)).toBe(30 + view.rateLimited);
    for (const id of ids) expect(stack.sandbox.likedIds('dara_new')).toContain(id);
    expect((await u.get(url).expect(200)).text).toMatch(/asked us to slow down \d+ time/);
  });
});
