// Rate limit: after a 429 the app sends nothing more for that user until the retry time,
// says so (429 page or JSON with Retry-After), and resumes afterwards. Small sandbox budget.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { logInWithToken } from './helpers/login.js';
import { expectOneFailureLine } from './helpers/logs.js';

const LIMIT = 6;
const WINDOW_MS = 2000;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sandbox: { rateLimit: { limit: LIMIT, windowMs: WINDOW_MS }, loadUsers: 2 }, config: { popularCacheMs: 0 } });
});
afterAll(() => stack.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a small upstream budget', () => {
  it('stops calling for that user until Retry-After has passed, says so, then resumes; other users are unaffected', async () => {
    const cookie = await logInWithToken(stack.url, stack.sandbox.issueToken('load_user_1'));
    const get = (path: string, json = false) =>
      supertest(stack.url).get(path).set('Cookie', cookie).set('Accept', json ? 'application/json' : 'text/html');

    // Spend the budget: every page view costs one or two upstream calls.
    const home = await get('/');
    const csrf = csrfFrom(home.text);
    const thingId = Number(/id="thing-(\d+)"/.exec(home.text)?.[1]);
    // (The popular page, uncached here, calls upstream on every view; the liked page reads the local index.)
    let res = await get('/');
    for (let i = 0; i < LIMIT && res.status === 200; i += 1) res = await get('/');
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 1000));
    expect(res.text).toMatch(/try again in \d+ seconds?/);
    const blockedAt = Date.now();

    // Meanwhile: every route answers 429 at once and nothing reaches the sandbox.
    const mark = stack.sandbox.requests().length;
    const logMark = stack.logs.length;
    const page = await get('/');
    expect(page.status).toBe(429);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    expectOneFailureLine(stack.logs, logMark, { method: 'GET', path: '/', status: 429, kind: 'rate_limited' });
    const json = await get('/liked', true);
    expect(json.status).toBe(429);
    expect(json.body).toMatchObject({ error: 'rate_limited', retryAfter: expect.any(Number) });
    const like = await supertest(stack.url).post(`/things/${thingId}/like`).set('Cookie', cookie).set('Accept', 'application/json')
      .type('form').send({ _csrf: csrf });
    expect(like.status).toBe(429);
    expect(like.body).toMatchObject({ error: 'rate_limited' });
    expect(stack.sandbox.requests().slice(mark)).toEqual([]);
    expect(await supertest(stack.url).get('/__probe').set('Cookie', cookie).then((r) => r.text)).toMatch(/Logged in as/);

    // Someone else has their own budget and is not held back.
    const other = await logInWithToken(stack.url, stack.sandbox.issueToken('load_user_2'));
    expect((await supertest(stack.url).get('/liked').set('Cookie', other)).status).toBe(200);

    // After the retry time the user's calls go out again, one per view.
    await sleep(Math.max(0, retryAfter * 1000 - (Date.now() - blockedAt)) + 150);
    const mark2 = stack.sandbox.requests().length;
    expect((await get('/')).status).toBe(200);
    expect(stack.sandbox.requests().slice(mark2)).toHaveLength(1);
  });
});
