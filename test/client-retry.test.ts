// Retries (G2): like (POST) is sent at most once whatever happens; unlike (DELETE) and reads
// retry on 5xx and obey a short Retry-After; a long Retry-After fails fast as rate_limited.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import { UpstreamError } from '../src/thingiverse/errors.js';
import type { ThingiverseClient } from '../src/thingiverse/types.js';
import { json, startStub, text } from './helpers/client-stub.js';
import type { Stub } from './helpers/client-stub.js';
import { testClock, type TestClock } from './helpers/clock.js';

const TOKEN = 'SENTINELtoken0123456789abcdef00';

let api: Stub;
let client: ThingiverseClient;
let clock: TestClock;

beforeAll(async () => {
  api = await startStub();
});
afterAll(() => api.close());
beforeEach(() => {
  api.reset();
  // A fresh limiter per test: a 429 holds the token back, as it should, for the next test.
  // Each attempt times out at 300 ms (real time: got's own timer); the whole call may take up
  // to 10 s of the client's clock, on which the waits between attempts are asked for, not spent.
  // It stands still but for those waits, so each one asked for is exact.
  clock = testClock({ at: Date.now() });
  client = createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c', timeoutMs: 10_000, attemptTimeoutMs: 300, retryLimit: 2, clock });
});

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as UpstreamError);

describe('POST /things/:id/likes is never retried', () => {
  it('503: one request, unavailable, ambiguous (the server failed mid-handling)', async () => {
    api.handler = (_q, r) => json(r, 503, { error: 'busy' });
    const err = await rejection(client.like(TOKEN, 7));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: 'unavailable', status: 503, ambiguous: true, operation: 'POST /things/:id/likes' });
    expect(api.requests).toHaveLength(1);
  });

  it('timeout: one request, timeout, ambiguous', async () => {
    api.handler = () => undefined;
    const err = await rejection(client.like(TOKEN, 7));
    expect(err).toMatchObject({ kind: 'timeout', ambiguous: true });
    expect(api.requests).toHaveLength(1);
  });

  it('connection reset after the request arrived: one request, unavailable, ambiguous', async () => {
    api.handler = (q) => q.socket.destroy();
    const err = await rejection(client.like(TOKEN, 7));
    expect(err).toMatchObject({ kind: 'unavailable', status: null, ambiguous: true });
    expect(api.requests).toHaveLength(1);
  });

  it('429 with a short Retry-After: still one request', async () => {
    api.handler = (_q, r) => text(r, 429, 'You can only send 300 requests per 5 minutes.', 'text/plain', { 'retry-after': '1' });
    expect(await rejection(client.like(TOKEN, 7))).toMatchObject({ kind: 'rate_limited', ambiguous: false });
    expect(api.requests).toHaveLength(1);
  });

  it('a 4xx refusal is not ambiguous', async () => {
    api.handler = (_q, r) => json(r, 400, { error: 'You cannot like your own thing' });
    expect(await rejection(client.like(TOKEN, 7))).toMatchObject({ kind: 'bad_request', ambiguous: false });
  });
});

describe('idempotent requests retry', () => {
  it('DELETE: 503 then 200 succeeds after two requests', async () => {
    api.handler = (_q, r, _rec, n) => (n === 1 ? json(r, 503, { error: 'busy' }) : json(r, 200, { ok: 'ok' }));
    await expect(client.unlike(TOKEN, 7)).resolves.toBeUndefined();
    expect(api.requests.map((q) => q.method)).toEqual(['DELETE', 'DELETE']);
    // The first backoff: retryDelayMs (1 s) plus up to a tenth of it as jitter.
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(clock.sleeps[0]).toBeLessThan(1100);
  });

  it('DELETE: timeouts on every attempt end as an ambiguous timeout after 1 + retryLimit requests', async () => {
    api.handler = () => undefined;
    const one = createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c', timeoutMs: 5_000, attemptTimeoutMs: 200, retryLimit: 1, clock });
    expect(await rejection(one.unlike(TOKEN, 7))).toMatchObject({ kind: 'timeout', ambiguous: true, operation: 'DELETE /things/:id/likes' });
    expect(api.requests).toHaveLength(2);
  });

  // The Retry-After is read from a real answer over HTTP; the wait is asked of the injected
  // clock, which records it instead of spending it.
  it.each([['1', 1000], ['2', 2000]])('GET: 429 with Retry-After: %s waits that long (on the client\'s clock), then succeeds', async (header, ms) => {
    api.handler = (_q, r, _rec, n) => (n === 1 ? text(r, 429, 'You can only send 300 requests per 5 minutes.', 'text/plain', { 'retry-after': header }) : json(r, 200, [{ id: 1, name: 'a' }]));
    const started = Date.now();
    const page = await client.popular(TOKEN);
    expect(page.items).toHaveLength(1);
    expect(api.requests).toHaveLength(2);
    // Just past the hold the limiter keeps for the token, so the retry is let through.
    expect(clock.sleeps).toEqual([ms + 5]);
    expect(Date.now() - started).toBeLessThan(ms / 2);
  });

  it('GET: Retry-After above maxRetryAfterMs fails fast as rate_limited without waiting', async () => {
    api.handler = (_q, r) => text(r, 429, 'You can only send 300 requests per 5 minutes.', 'text/plain', { 'retry-after': '3600' });
    const started = Date.now();
    const err = await rejection(client.popular(TOKEN));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(err!.retryAt).toBeGreaterThan(clock.now() + 3_500_000);
    expect(clock.sleeps).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(api.requests).toHaveLength(1);
  });

  it('GET: 429 without Retry-After is not retried (the window is 5 minutes)', async () => {
    api.handler = (_q, r) => text(r, 429, 'You can only send 300 requests per 5 minutes.');
    expect(await rejection(client.me(TOKEN))).toMatchObject({ kind: 'rate_limited' });
    expect(api.requests).toHaveLength(1);
  });

  it('GET: 502 twice then 200 succeeds on the third request', async () => {
    api.handler = (_q, r, _rec, n) => (n < 3 ? json(r, 502, []) : json(r, 200, { id: 3, name: 'x', is_liked: false }));
    await expect(client.thing(TOKEN, 3)).resolves.toMatchObject({ id: 3 });
    expect(api.requests).toHaveLength(3);
    // Backoff doubles: about 1 s, then about 2 s (each with up to 100 ms of jitter).
    expect(clock.sleeps.map((ms) => Math.floor(ms / 100) * 100)).toEqual([1000, 2000]);
  });

  it('GET: a 5xx after the last retry is unavailable and not ambiguous (reads are never ambiguous)', async () => {
    const none = createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c', retryLimit: 0 });
    api.handler = (_q, r) => json(r, 500, {});
    expect(await rejection(none.thing(TOKEN, 3))).toMatchObject({ kind: 'unavailable', ambiguous: false });
  });

  it('GET: 404 is never retried', async () => {
    api.handler = (_q, r) => json(r, 404, { error: 'Thing 3 does not exist' });
    expect(await rejection(client.thing(TOKEN, 3))).toMatchObject({ kind: 'not_found' });
    expect(api.requests).toHaveLength(1);
  });
});

describe('POST on the OAuth host is never retried', () => {
  it('tokeninfo 503: one request', async () => {
    api.handler = (_q, r) => json(r, 503, {});
    expect(await rejection(client.tokenInfo(TOKEN))).toMatchObject({ kind: 'unavailable' });
    expect(api.requests).toHaveLength(1);
  });
});
