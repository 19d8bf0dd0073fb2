// One user's failure is not another user's (issue 8): the popular cache shares one in-flight
// upstream call between viewers, but only its success. When user A's shared call fails with
// A's 401 or 429, user B (who joined it) loads with B's own token and is neither logged out
// nor told to wait; the 429 holds back only A's token.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, type Stack } from './helpers/stack.js';
import { waitFor } from './helpers/wait.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const view = (cookie: string, path: string) => supertest(stack.url).get(path).set('Cookie', cookie).set('Accept', 'text/html');
const popularCalls = (page: number) => stack.sandbox.requests().filter((r) => r.url === `/popular?page=${page}&per_page=30`);
const loggedIn = async (cookie: string) => /Logged in as/.test((await view(cookie, '/__probe')).text);

/** A's view of `page` is in flight upstream (its /popular call has reached the sandbox), then B asks for the same page. */
async function overlap(a: string, b: string, page: number) {
  const ofA = view(a, `/?page=${page}`).then((r) => r); // .then starts the request
  await waitFor('A\'s /popular call', () => popularCalls(page).length === 1);
  const ofB = view(b, `/?page=${page}`).then((r) => r);
  return { a: await ofA, b: await ofB };
}

describe('the shared popular call', () => {
  it("A's 401 logs A out; B, who joined A's call, gets the page and stays logged in", async () => {
    const aCookie = await stack.loginCookie('ada_maker');
    const bCookie = await stack.loginCookie('bram_prints');
    // A's call is slow, then refused as if A's token had died (the faults hit the first call only).
    stack.sandbox.addFault({ kind: 'latency', ms: 300, route: 'GET /popular', times: 1 });
    stack.sandbox.addFault({ kind: 'status', status: 401, route: 'GET /popular', times: 1 });
    const { a: resA, b: resB } = await overlap(aCookie, bCookie, 3);
    expect(resA.status).toBe(401);
    expect(resB.status).toBe(200);
    expect(resB.text).toMatch(/id="thing-\d+"/);
    expect(popularCalls(3)).toHaveLength(2); // A's (failed) and B's own
    expect(await loggedIn(aCookie)).toBe(false);
    expect(await loggedIn(bCookie)).toBe(true);
  });

  it("A's 429 holds back only A's token: B gets the page now and later, A waits without upstream calls", async () => {
    const aCookie = await stack.loginCookie('cleo_collects');
    const bCookie = await stack.loginCookie('dara_new');
    // A's call is slow, then answered 429 for A's token.
    stack.sandbox.addFault({ kind: 'latency', ms: 300, route: 'GET /popular', times: 1 });
    stack.sandbox.addFault({ kind: 'ratelimit', ms: 60_000, route: 'GET /popular', times: 1 });
    const { a: resA, b: resB } = await overlap(aCookie, bCookie, 4);
    expect(resA.status).toBe(429);
    expect(Number(resA.headers['retry-after'])).toBeGreaterThan(30);
    expect(resB.status).toBe(200);
    expect(resB.text).not.toMatch(/try again in/);

    const mark = stack.sandbox.requests().length;
    expect((await view(bCookie, '/?page=5')).status).toBe(200);
    expect(stack.sandbox.requests().length).toBeGreaterThan(mark);
    const markA = stack.sandbox.requests().length;
    expect((await view(aCookie, '/?page=6')).status).toBe(429);
    expect(stack.sandbox.requests().slice(markA)).toEqual([]);
  });
});
