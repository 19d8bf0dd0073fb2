// The client against the real sandbox on port 0: the happy paths end to end (paging, detail,
// like/unlike with real counts, likes, me, tokeninfo, the code flow), App Token vs user token,
// and the sandbox's fault kinds arriving as the right UpstreamError kinds.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import type { ThingiverseClient } from '../src/thingiverse/types.js';
import { createSandbox, listen } from '../src/sandbox/index.js';
import type { Listening, Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const CALLBACK = SANDBOX_CLIENT.redirectUris[0];
let sandbox: Sandbox;
let server: Listening;
let client: ThingiverseClient;
let ada: string;

beforeAll(async () => {
  sandbox = createSandbox();
  server = await listen(sandbox, { port: 0 });
  client = createThingiverseClient({
    apiUrl: server.url,
    authUrl: server.url,
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    // 500 ms per attempt; the whole call, retries and waits included, up to 5 s.
    timeoutMs: 5_000,
    attemptTimeoutMs: 500,
    retryLimit: 1,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  sandbox.reset();
  ada = sandbox.issueToken('ada_maker');
});

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
const requestsTo = (method: string, prefix: string) => sandbox.requests().filter((r) => r.method === method && r.url.startsWith(prefix));

/** A popular thing ada has not liked yet (demo users own no things, so liking is allowed). */
async function unlikedThingId(): Promise<number> {
  const liked = new Set(sandbox.likedIds('ada_maker'));
  const page = await client.popular(ada, { perPage: 50 });
  const thing = page.items.find((t) => !liked.has(t.id));
  if (!thing) throw new Error('no unliked thing on the first popular page');
  return thing.id;
}

describe('reads', () => {
  it('pages through /popular without overlap', async () => {
    const p1 = await client.popular(ada, { page: 1, perPage: 5 });
    const p2 = await client.popular(ada, { page: 2, perPage: 5 });
    expect(p1).toMatchObject({ page: 1, perPage: 5, total: null });
    expect(p1.items).toHaveLength(5);
    expect(p2.items).toHaveLength(5);
    expect(p1.items.map((t) => t.id).filter((id) => p2.items.some((t) => t.id === id))).toEqual([]);
    for (const t of p1.items) {
      expect(t.name).toBe(t.name.trim());
      expect(t.image).toMatch(/^https?:\/\//);
      expect(t.creator?.displayName).toBeTruthy();
    }
  });

  it('reads a thing detail that agrees with its list item', async () => {
    const [first] = (await client.popular(ada, { perPage: 1 })).items;
    const detail = await client.thing(ada, first!.id);
    expect(detail).toMatchObject({ id: first!.id, name: first!.name, likeCount: first!.likeCount });
    expect(typeof detail.isLiked).toBe('boolean');
  });

  it('me is the token user; tokeninfo names our client id and that user', async () => {
    const me = await client.me(ada);
    expect(me).toMatchObject({ id: 5100001, name: 'ada_maker', displayName: 'Ada Lindqvist' });
    await expect(client.tokenInfo(ada)).resolves.toEqual({ audience: SANDBOX_CLIENT.clientId, userId: '5100001' });
  });

  it('likedIds and likedThings agree with the sandbox state', async () => {
    const truth = sandbox.likedIds('ada_maker');
    expect(truth.length).toBeGreaterThan(0);
    await expect(client.likedIds(ada, 'me')).resolves.toEqual(truth);
    const page = await client.likedThings(ada, 'ada_maker', { perPage: 5 });
    expect(page.items.map((t) => t.id)).toEqual(truth.slice(0, 5));
  });

  it('an unknown thing is not_found; an unknown user is not_found', async () => {
    await expect(client.thing(ada, 999_999_999)).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    await expect(client.likedIds(ada, 'nobody_here_123')).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('like and unlike', () => {
  it('like sets is_liked and adds one like; unlike undoes both', async () => {
    const id = await unlikedThingId();
    const before = await client.thing(ada, id);
    expect(before.isLiked).toBe(false);

    await client.like(ada, id);
    const liked = await client.thing(ada, id);
    expect(liked).toMatchObject({ isLiked: true, likeCount: before.likeCount! + 1 });
    expect(sandbox.likedIds('ada_maker')[0]).toBe(id);
    expect((await client.likedThings(ada, 'me', { perPage: 1 })).items[0]?.id).toBe(id);

    await client.unlike(ada, id);
    await expect(client.thing(ada, id)).resolves.toMatchObject({ isLiked: false, likeCount: before.likeCount });
    expect(sandbox.likedIds('ada_maker')).not.toContain(id);
  });

  it('sends the token only as a Bearer header', async () => {
    await client.like(ada, await unlikedThingId());
    const log = sandbox.requests();
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((r) => r.bearer && !r.url.includes('access_token') && !r.url.includes(ada))).toBe(true);
  });

  it('a revoked token is unauthorized', async () => {
    sandbox.revokeToken(ada);
    await expect(client.like(ada, 1)).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
  });
});

describe('App Token vs user token', () => {
  const app = SANDBOX_CLIENT.appToken;

  it('reads public lists and details, never as liked', async () => {
    const [first] = (await client.popular(app, { perPage: 1 })).items;
    await expect(client.thing(app, first!.id)).resolves.toMatchObject({ id: first!.id, isLiked: false });
  });

  it('cannot like, unlike or read me', async () => {
    await expect(client.like(app, 1)).rejects.toMatchObject({ kind: 'unauthorized' });
    await expect(client.unlike(app, 1)).rejects.toMatchObject({ kind: 'unauthorized' });
    await expect(client.me(app)).rejects.toMatchObject({ kind: 'unauthorized' });
  });

  it('tokeninfo shows our client id and no user', async () => {
    await expect(client.tokenInfo(app)).resolves.toEqual({ audience: SANDBOX_CLIENT.clientId, userId: '0' });
  });

  it('tokeninfo for an unknown token is unauthorized', async () => {
    await expect(client.tokenInfo('0123456789abcdef0123456789abcdef')).rejects.toMatchObject({ kind: 'unauthorized' });
  });
});

describe('code flow', () => {
  /** The consent form's Authorize button, as a browser would post it. */
  async function authorize(user: string): Promise<URL> {
    const res = await fetch(`${server.url}/login/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: SANDBOX_CLIENT.clientId, redirect_uri: CALLBACK, response_type: 'code', state: 'st-1', user, decision: 'allow' }),
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  it('exchanges a code for a token of the consenting user', async () => {
    const back = await authorize('bram_prints');
    expect(back.searchParams.get('state')).toBe('st-1');
    const token = await client.exchangeCode(back.searchParams.get('code')!, CALLBACK);
    await expect(client.me(token)).resolves.toMatchObject({ name: 'bram_prints' });
    await expect(client.tokenInfo(token)).resolves.toMatchObject({ audience: SANDBOX_CLIENT.clientId });
  });

  it('a reused code or a wrong redirect_uri is bad_request', async () => {
    const code = (await authorize('ada_maker')).searchParams.get('code')!;
    await client.exchangeCode(code, CALLBACK);
    await expect(client.exchangeCode(code, CALLBACK)).rejects.toMatchObject({ kind: 'bad_request', status: 400 });
    const other = (await authorize('ada_maker')).searchParams.get('code')!;
    await expect(client.exchangeCode(other, 'http://localhost:3000/elsewhere')).rejects.toMatchObject({ kind: 'bad_request' });
  });

  it('a wrong client secret is unauthorized', async () => {
    const wrong = createThingiverseClient({ apiUrl: server.url, authUrl: server.url, clientId: SANDBOX_CLIENT.clientId, clientSecret: 'nope' });
    const code = (await authorize('ada_maker')).searchParams.get('code')!;
    await expect(wrong.exchangeCode(code, CALLBACK)).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
  });
});

describe('sandbox faults', () => {
  it('503 on like: sent once, unavailable, ambiguous, nothing stored', async () => {
    const id = await unlikedThingId();
    sandbox.addFault({ kind: 'status', status: 503, route: 'POST /things/:id/likes', times: 1 });
    await expect(client.like(ada, id)).rejects.toMatchObject({ kind: 'unavailable', status: 503, ambiguous: true });
    expect(requestsTo('POST', `/things/${id}/likes`)).toHaveLength(1);
    expect(sandbox.likedIds('ada_maker')).not.toContain(id);
  });

  it('reset after the like was stored: ambiguous, and a read-back shows it landed', async () => {
    const id = await unlikedThingId();
    sandbox.addFault({ kind: 'reset', route: 'POST /things/:id/likes', after: true, times: 1 });
    await expect(client.like(ada, id)).rejects.toMatchObject({ kind: 'unavailable', ambiguous: true });
    await expect(client.thing(ada, id)).resolves.toMatchObject({ isLiked: true });
  });

  it('hang on like: timeout, ambiguous, sent once', async () => {
    const id = await unlikedThingId();
    sandbox.addFault({ kind: 'hang', route: 'POST /things/:id/likes', times: 1 });
    await expect(client.like(ada, id)).rejects.toMatchObject({ kind: 'timeout', ambiguous: true });
    expect(requestsTo('POST', `/things/${id}/likes`)).toHaveLength(1);
  });

  it('503 once on unlike: retried, then done', async () => {
    const id = sandbox.likedIds('ada_maker')[0]!;
    sandbox.addFault({ kind: 'status', status: 503, route: 'DELETE /things/:id/likes', times: 1 });
    await client.unlike(ada, id);
    expect(requestsTo('DELETE', `/things/${id}/likes`)).toHaveLength(2);
    expect(sandbox.likedIds('ada_maker')).not.toContain(id);
  });

  it('html403 is unavailable (blocked), malformed is bad_response, latency past the timeout is timeout', async () => {
    sandbox.addFault({ kind: 'html403', route: 'GET /popular', times: 1 });
    await expect(client.popular(ada)).rejects.toMatchObject({ kind: 'unavailable', status: 403 });
    sandbox.addFault({ kind: 'malformed', route: 'GET /things/:id', times: 1 });
    await expect(client.thing(ada, 1)).rejects.toMatchObject({ kind: 'bad_response', status: 200 });
    sandbox.addFault({ kind: 'latency', ms: 2000, route: 'GET /users/:name', times: 2 });
    await expect(client.me(ada)).rejects.toMatchObject({ kind: 'timeout', ambiguous: false });
  });

  it('status faults map by code: 401, 403, 400', async () => {
    for (const [status, kind] of [[401, 'unauthorized'], [403, 'forbidden'], [400, 'bad_request']] as const) {
      sandbox.addFault({ kind: 'status', status, route: 'GET /users/:name/likesids', times: 1 });
      await expect(client.likedIds(ada, 'me')).rejects.toMatchObject({ kind, status });
    }
  });

  it('an injected 429 with a short Retry-After is waited out; the default (whole window) fails fast', async () => {
    sandbox.addFault({ kind: 'ratelimit', ms: 1000, route: 'GET /popular', times: 1 });
    await expect(client.popular(ada, { perPage: 2 })).resolves.toMatchObject({ perPage: 2 });
    sandbox.addFault({ kind: 'ratelimit', route: 'GET /popular', times: 1 });
    const started = Date.now();
    const err = (await rejection(client.popular(ada))) as { kind: string; retryAt: number };
    expect(err).toMatchObject({ kind: 'rate_limited' });
    expect(err.retryAt).toBeGreaterThan(Date.now() + 60_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('the real per-token budget ends in rate_limited with a retry time', async () => {
    const tight = createSandbox({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const srv = await listen(tight, { port: 0 });
    try {
      const c = createThingiverseClient({ apiUrl: srv.url, authUrl: srv.url, clientId: SANDBOX_CLIENT.clientId });
      const token = tight.issueToken('dara_new');
      await c.me(token);
      await c.me(token);
      const err = (await rejection(c.me(token))) as { kind: string; status: number; retryAt: number };
      expect(err).toMatchObject({ kind: 'rate_limited', status: 429 });
      expect(err.retryAt).toBeGreaterThan(Date.now() + 50_000);
    } finally {
      await srv.close();
    }
  });

  it('tokeninfo 500 is unavailable and not retried', async () => {
    sandbox.addFault({ kind: 'status', status: 500, route: 'POST /login/oauth/tokeninfo' });
    await expect(client.tokenInfo(ada)).rejects.toMatchObject({ kind: 'unavailable', operation: 'POST /login/oauth/tokeninfo' });
    expect(requestsTo('POST', '/login/oauth/tokeninfo')).toHaveLength(1);
  });
});
