// Bulk jobs refuse what they should with zero upstream calls (CSRF, bad ids, bad action, too
// many), stay private to their owner, stop on cancel, report failures with a reason, and ride
// out a small rate limit.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, type Stack } from './helpers/stack.js';
import { bulkUser, unlikedOnPopular, writesSince } from './helpers/bulk-helpers.js';
import { DEMO_USERS, getSeed } from '../src/sandbox/seed.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { latencyMs: 2 } });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

describe('refusals cost nothing upstream', () => {
  const cases: [string, (csrf: string) => string, number, RegExp][] = [
    ['no CSRF token', () => 'action=like&ids=1234567', 403, /expired|did not come from this app/],
    ['a wrong CSRF token', () => `_csrf=${'0'.repeat(64)}&action=like&ids=1234567`, 403, /expired|did not come/],
    ['no ids', (c) => `_csrf=${c}&action=like`, 400, /Select at least one/],
    ['an id with a letter', (c) => `_csrf=${c}&action=like&ids=1234567&ids=12a`, 400, /not a valid Thingiverse thing id/],
    ['a leading zero', (c) => `_csrf=${c}&action=like&ids=0123`, 400, /not a valid/],
    ['a 13-digit id', (c) => `_csrf=${c}&action=like&ids=${'9'.repeat(13)}`, 400, /not a valid/],
    ['a negative id', (c) => `_csrf=${c}&action=like&ids=-5`, 400, /not a valid/],
    ['an unknown action', (c) => `_csrf=${c}&action=delete&ids=1234567`, 400, /Choose Like or Unlike/],
    ['101 ids', (c) => `_csrf=${c}&action=like&${Array.from({ length: 101 }, (_, i) => `ids=${1_000_000 + i}`).join('&')}`, 400, /At most 100/],
  ];
  it.each(cases)('%s', async (_name, body, status, message) => {
    const u = await bulkUser(stack, 'ada_maker');
    const mark = stack.sandbox.requests().length;
    const res = await u.post('/bulk', body(u.csrf));
    expect(res.status).toBe(status);
    expect(res.text).toMatch(message);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });

  it('a cross-site post and a logged-out post are refused too', async () => {
    const u = await bulkUser(stack, 'ada_maker');
    const mark = stack.sandbox.requests().length;
    await supertest(stack.url).post('/bulk').set('Cookie', u.cookie).set('Sec-Fetch-Site', 'cross-site').type('form')
      .send(`_csrf=${u.csrf}&action=like&ids=1234567`).expect(403);
    await supertest(stack.url).post('/bulk').type('form').send('action=like&ids=1234567').expect(401);
    expect(stack.sandbox.requests().slice(mark)).toHaveLength(0);
  });
});

describe('a job belongs to its owner', () => {
  it('another user gets 404 for its page, its JSON and its cancel, and the job carries on', async () => {
    const owner = await bulkUser(stack, 'cleo_collects');
    const other = await bulkUser(stack, 'dara_new');
    const ids = (await unlikedOnPopular(stack, owner, 'cleo_collects', 8)).slice(0, 4);
    const url = (await owner.start('like', ids).expect(303)).headers.location as string;
    await other.get(url).expect(404);
    await other.get(url, true).expect(404);
    await other.post(`${url}/cancel`, `_csrf=${other.csrf}`).expect(404);
    await supertest(stack.url).get(url).expect(401);
    await owner.get('/bulk/not-a-job-id').expect(404);
    const view = await owner.waitDone(url);
    expect(view.state).toBe('finished');
    expect(view.counts.done).toBe(4);
  });
});

describe('cancel and failures', () => {
  it('cancel stops the job: things not yet sent stay untouched and are reported as cancelled', async () => {
    const u = await bulkUser(stack, 'dara_new');
    const ids = (await unlikedOnPopular(stack, u, 'dara_new', 9)).slice(0, 30);
    stack.sandbox.addFault({ kind: 'latency', route: 'POST /things/:id/likes', ms: 150 });
    try {
      const mark = stack.sandbox.requests().length;
      const url = (await u.start('like', ids).expect(303)).headers.location as string;
      await u.post(`${url}/cancel`, `_csrf=${u.csrf}`).expect(303).expect('Location', url);
      const view = await u.waitDone(url);
      expect(view.state).toBe('cancelled');
      const sent = writesSince(stack, mark);
      const cancelled = (await u.results(url)).filter((i) => i.status === 'cancelled').map((i) => i.id);
      expect(cancelled.length).toBeGreaterThanOrEqual(20);
      for (const id of cancelled) {
        expect(sent.has(id)).toBe(false);
        expect(stack.sandbox.likedIds('dara_new')).not.toContain(id);
      }
      expect(view.counts.done).toBe(sent.size);
      expect((await u.get(url).expect(200)).text).toMatch(/left as they were \(cancelled\)/);
    } finally {
      stack.sandbox.clearFaults();
    }
  });

  it('failures are listed with a reason: your own thing, a thing that does not exist, a 500', async () => {
    const u = await bulkUser(stack, 'bram_prints');
    const ownId = getSeed().things.find((t) => t.creatorId === DEMO_USERS[1].id)!.id; // bram_prints's own
    const okIds = (await unlikedOnPopular(stack, u, 'bram_prints', 10)).slice(0, 2);
    stack.sandbox.addFault({ kind: 'status', status: 500, route: `POST /things/${okIds[1]}/likes`, times: 1 });
    try {
      const ids = [okIds[0]!, 999_999_999_999, okIds[1]!, ownId];
      const view = await u.waitDone((await u.start('like', ids).expect(303)).headers.location);
      const reasons = Object.fromEntries(view.failures.map((f) => [f.id, f.reason]));
      expect(view.counts.done).toBe(1);
      expect(reasons[999_999_999_999]).toBe('Not found on Thingiverse.');
      expect(reasons[okIds[1]!]).toBe('Thingiverse did not answer properly.');
      expect(reasons[ownId]).toMatch(/cannot like or unlike your own things/);
      const page = (await u.get(`/bulk/${view.id}`).expect(200)).text;
      expect(page).toMatch(/<h2>Not done<\/h2>/);
      expect(page).toMatch(/Thing 999999999999: Not found on Thingiverse\./);
    } finally {
      stack.sandbox.clearFaults();
    }
  });
});
