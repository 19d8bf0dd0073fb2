// Runs one fault × route case against a real stack and checks everything the issue asks:
// mapped status, a clear page or JSON, one clean log line, session kept unless the token is
// dead, the app still up, and for writes the state shown equals the sandbox's truth.
import { expect } from '@jest/globals';
import supertest from 'supertest';
import { startStack, type Stack } from './stack.js';
import { expectCleanLogs, expectOneFailureLine, failureLines } from './logs.js';
import { expected, TIMEOUT_MS, type FaultCase } from './fault-cases.js';
import type { Ctx, RouteCase } from './fault-routes.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/defaults.js';
import { testClock } from './clock.js';
import { waitFor } from './wait.js';


/** The fault stacks' upstream clock (real time): a 429's hold is jumped over, not waited out. */
const upstreamClock = testClock();

/** Code flow (so the exchange can be tested too), no popular cache, a small client timeout. */
export function faultStack(): Promise<Stack> {
  return startStack({ flow: 'code', timeoutMs: TIMEOUT_MS, config: { popularCacheMs: 0 }, sandbox: { loadUsers: 200 }, overrides: { upstreamClock } });
}

let nextUser = 1;

/** A thing on the first popular page (stays there whatever a few likes do to the order). */
export async function pickThing(stack: Stack): Promise<number> {
  const list = await supertest(stack.sandboxUrl).get('/popular').set('Authorization', `Bearer ${SANDBOX_CLIENT.appToken}`).expect(200);
  return (list.body as { id: number }[])[5].id;
}

export async function runCase(stack: Stack, thingId: number, route: RouteCase, fault: FaultCase): Promise<void> {
  const user = `load_user_${nextUser++}`;
  const ctx: Ctx = { stack, user, token: stack.sandbox.issueToken(user), cookie: '', thingId };
  await route.prepare(ctx);
  const want = expected(fault, route);
  const mark = stack.logs.length;
  const upstreamMark = stack.sandbox.requests().length;
  if (fault.revoke && route.kind !== 'login') stack.sandbox.revokeToken(ctx.token);
  else if (fault.rule) stack.sandbox.addFault({ ...fault.rule, route: route.upstream, times: 1 });
  if (fault.stop) await stack.stopSandbox();
  const started = Date.now();
  let res;
  try {
    res = await route.send(ctx);
  } finally {
    if (fault.stop) await stack.startSandbox();
    stack.sandbox.clearFaults();
  }

  // The log line is written on the response's 'finish': let that event run first.
  await new Promise((r) => setImmediate(r));
  // A login (or a logout by 401) moves the session to a new id.
  const moved = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith('tvl.sid='));
  if (moved) ctx.cookie = moved.split(';')[0];

  expect(res.status).toBe(want.status);
  if (want.kind) {
    if (route.format === 'json') {
      expect(res.body).toMatchObject({ error: expect.any(String), message: expect.stringMatching(want.message!) });
      if (route.kind !== 'login') expect(res.body.error).toBe(want.kind);
      expect(res.body.unconfirmed === true).toBe(want.unconfirmed === true);
    } else {
      expect(res.text).toMatch(/<p class="message">/);
      expect(res.text).toMatch(want.message!);
    }
    if (want.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expectOneFailureLine(stack.logs, mark, { method: route.method, path: route.path(ctx), status: want.status, kind: want.kind });
  } else {
    expect(failureLines(stack.logs, mark)).toEqual([]);
  }
  // The code exchange is paid for by the app's client id, shared by every case: the app now
  // holds it back for the Retry-After it was sent (1 s), which the next case would have to wait
  // out. Check the hold, then move the client's clock past it instead of waiting.
  if (want.status === 429 && route.upstream === 'POST /login/oauth/access_token') {
    const heldFor = stack.services.limiter.blockedUntil(`client:${SANDBOX_CLIENT.clientId}`)! - upstreamClock.now();
    expect(heldFor).toBeGreaterThan(0);
    expect(heldFor).toBeLessThanOrEqual(Number(res.headers['retry-after']) * 1000);
    expect(heldFor).toBeGreaterThan(Number(res.headers['retry-after']) * 1000 - (Date.now() - started) - 50);
    upstreamClock.advance(heldFor + 1);
  }
  expect(res.text).not.toMatch(/at [^\s]+ \(.*:\d+:\d+\)|\.ts:\d+/);
  expectCleanLogs(stack.logs.slice(mark), [ctx.token, SANDBOX_CLIENT.clientSecret]);
  // A write is sent once, never again by the app on its own (G2).
  if (route.kind === 'write' && !fault.stop && !fault.revoke) {
    const writes = stack.sandbox.requests().slice(upstreamMark).filter((r) => r.method === (route.upstream.split(' ')[0]));
    expect(writes).toHaveLength(1);
  }

  // Still up, and the session is kept unless the token is dead (a 404 page costs no upstream call).
  const probe = await supertest(stack.url).get('/__probe').set('Cookie', ctx.cookie).expect(404);
  expect(/Logged in as/.test(probe.text)).toBe(want.loggedIn);
  if (route.kind === 'write' && want.loggedIn && want.status !== 429) {
    // A late write (latency above the timeout) lands after the app gave up: wait until the
    // sandbox holds it, then the next page must show the sandbox's truth, not the app's guess.
    if (fault.rule?.kind === 'latency') {
      const intent = route.upstream.startsWith('POST ');
      await waitFor('the late write to land in the sandbox', () => stack.sandbox.likedIds(user).includes(thingId) === intent, (fault.rule.ms ?? 0) + 5000);
    }
    const truth = stack.sandbox.likedIds(user).includes(thingId);
    const home = await supertest(stack.url).get('/').set('Cookie', ctx.cookie).expect(200);
    const card = home.text.slice(home.text.indexOf(`id="thing-${thingId}"`));
    expect(/class="(un)?like"/.exec(card)?.[0]).toBe(truth ? 'class="unlike"' : 'class="like"');
  }
}
