// The client's rate limiter: on a fake clock (atomic take-or-refuse, the bulk reserve, the
// hold after a 429, waiting for a slot), and against the sandbox, where its count for a
// token must equal what the sandbox received, retries and login calls included.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { RateLimiter, credentialKey } from '../src/thingiverse/limiter.js';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import type { ThingiverseClient } from '../src/thingiverse/types.js';
import { createSandbox, listen } from '../src/sandbox/index.js';
import type { Listening, Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { logInWithToken } from './helpers/login.js';
import { startStack, type Stack } from './helpers/stack.js';
import { testClock } from './helpers/clock.js';

const TOKEN = 'SENTINELtoken0123456789abcdef00';

describe('RateLimiter on a fake clock', () => {
  it('keys a credential by a hash prefix, never the token; the App Token is "app"', () => {
    const key = credentialKey(TOKEN);
    expect(key).not.toContain(TOKEN);
    expect(key).not.toContain(TOKEN.slice(0, 12));
    expect(credentialKey(TOKEN)).toBe(key);
    expect(credentialKey(`${TOKEN}x`)).not.toBe(key);
    expect(credentialKey(TOKEN, TOKEN)).toBe('app');
  });

  it('concurrent callers cannot overshoot: 12 takes at once on a limit of 5, exactly 5 go through', async () => {
    const c = testClock({ at: 1_000_000 });
    const limiter = new RateLimiter({ limit: 5, windowMs: 60_000, now: c.now, sleep: c.sleep });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => limiter.take('k', 'like')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    expect(refused).toHaveLength(7);
    for (const err of refused) expect(err).toMatchObject({ kind: 'rate_limited', status: null, retryAt: c.now() + 60_000, op: 'like' });
    expect(limiter.used('k')).toBe(5);
    expect(limiter.used('other')).toBe(0);
  });

  it('a caller with a reserve leaves those slots to the others; remaining and nextFreeAt say so', async () => {
    const c = testClock({ at: 1_000_000 });
    const limiter = new RateLimiter({ limit: 10, windowMs: 60_000, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 7; i++) await limiter.take('k', 'like', { reserve: 3 });
    expect(limiter.remaining('k', 3)).toBe(0);
    expect(limiter.remaining('k')).toBe(3);
    await expect(limiter.take('k', 'like', { reserve: 3 })).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(limiter.nextFreeAt('k', 3)).toBe(c.now() + 60_000);
    expect(limiter.nextFreeAt('k')).toBe(c.now());
    for (let i = 0; i < 3; i++) await limiter.take('k', 'thing');
    expect(limiter.used('k')).toBe(10);
  });

  it('after a 429 nothing goes out with that credential until the retry time, even with a free window', async () => {
    const c = testClock({ at: 1_000_000 });
    const limiter = new RateLimiter({ now: c.now, sleep: c.sleep });
    limiter.holdUntil('k', c.now() + 30_000);
    await expect(limiter.take('k', 'popular', { deadline: c.now() + 60_000 })).rejects.toMatchObject({ kind: 'rate_limited', retryAt: c.now() + 30_000 });
    expect(limiter.blockedUntil('k')).toBe(c.now() + 30_000);
    await expect(limiter.take('other', 'popular')).resolves.toBeUndefined();
    c.advance(30_000);
    await expect(limiter.take('k', 'popular')).resolves.toBeUndefined();
    expect(limiter.blockedUntil('k')).toBeNull();
  });

  it('waits for a slot that frees before the deadline, refuses one that frees after it', async () => {
    const c = testClock({ at: 1_000_000 });
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000, now: c.now, sleep: c.sleep });
    await limiter.take('k', 'thing');
    await limiter.take('k', 'thing', { deadline: c.now() + 5000 });
    expect(c.sleeps).toEqual([1000]);
    await expect(limiter.take('k', 'thing', { deadline: c.now() + 500 })).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(limiter.used('k')).toBe(1);
  });
});

describe('the count equals what the sandbox received', () => {
  let sandbox: Sandbox;
  let server: Listening;
  let limiter: RateLimiter;
  let client: ThingiverseClient;
  beforeAll(async () => {
    sandbox = createSandbox();
    server = await listen(sandbox, { port: 0 });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    sandbox.reset();
    limiter = new RateLimiter();
    client = createThingiverseClient({
      apiUrl: server.url, authUrl: server.url, clientId: SANDBOX_CLIENT.clientId, limiter,
      timeoutMs: 5000, attemptTimeoutMs: 300, retryLimit: 2, retryDelayMs: 20,
    });
  });

  it('a mixed run with retries, a 5xx on each read kind, a reset, a hang and a 429', async () => {
    const token = sandbox.issueToken('ada_maker');
    const key = client.keyFor(token);
    sandbox.addFault({ kind: 'status', status: 503, route: 'GET /popular', times: 1 });
    sandbox.addFault({ kind: 'reset', route: 'GET /things/:id', times: 1 });
    sandbox.addFault({ kind: 'hang', ms: 600, route: 'GET /users/:name/likesids', times: 1 });
    sandbox.addFault({ kind: 'status', status: 502, route: 'DELETE /things/:id/likes', times: 1 });
    await client.tokenInfo(token);
    await client.me(token);
    const page = await client.popular(token, { perPage: 5 });
    await client.thing(token, page.items[0]!.id);
    const liked = new Set(await client.likedIds(token, 'me'));
    const id = page.items.find((t) => !liked.has(t.id))!.id;
    await client.like(token, id);
    await client.unlike(token, id);
    await client.likedThings(token, 'ada_maker', { perPage: 3 });
    // Each fault cost one extra request, which the limiter saw too.
    expect(sandbox.requests()).toHaveLength(8 + 4);
    expect(limiter.used(key)).toBe(sandbox.requests().length);

    // A 429 without Retry-After: counted once, then the token is held and nothing more goes out.
    sandbox.addFault({ kind: 'ratelimit', route: 'GET /users/me', times: 1 });
    await expect(client.me(token)).rejects.toMatchObject({ kind: 'rate_limited', status: 429 });
    await expect(client.popular(token)).rejects.toMatchObject({ kind: 'rate_limited', status: null });
    expect(sandbox.requests()).toHaveLength(13);
    expect(limiter.used(key)).toBe(13);
    // Another credential is not held back.
    await client.popular(SANDBOX_CLIENT.appToken, { perPage: 1 });
    expect(sandbox.requests()).toHaveLength(14);
  });
});

describe('through the app: login calls count against the token that made them', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('tokeninfo, users/me, a page view and a like: the limiter and the sandbox agree', async () => {
    const token = stack.sandbox.issueToken('dara_new');
    const mark = stack.sandbox.requests().length;
    const agent = stack.agent().set('Cookie', await logInWithToken(stack.url, token));
    const home = await agent.get('/').expect(200);
    const id = Number(/id="thing-(\d+)"/.exec(home.text)![1]);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1]!;
    await agent.post(`/things/${id}/like`).type('form').send({ _csrf: csrf, returnTo: '/' }).expect(303);
    const sent = stack.sandbox.requests().slice(mark);
    // (/popular and likesids go out together, in either order.)
    expect(sent.map((r) => r.url.split('?')[0]).sort()).toEqual(
      ['/login/oauth/tokeninfo', '/users/me', '/popular', '/users/dara_new/likesids', `/things/${id}/likes`].sort(),
    );
    expect(stack.services.limiter.used(stack.services.client.keyFor(token))).toBe(sent.length);
  });
});
