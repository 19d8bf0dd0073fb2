// Limits on what Thingiverse can send (issue 8) and on how long a user waits (G1): bodies past
// MAX_BODY_BYTES are refused without being read whole, lists never give more items than
// asked for, a liked-ids list near the cap parses without stalling the event loop, and a
// hanging upstream ends the call near UPSTREAM_TIMEOUT_SECONDS, retries included.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import { MAX_BODY_BYTES } from '../src/thingiverse/http.js';
import { UpstreamError } from '../src/thingiverse/errors.js';
import { describeUpstream } from '../src/errors.js';
import { json, startStub } from './helpers/client-stub.js';
import type { Stub } from './helpers/client-stub.js';

const TOKEN = 'SENTINELtoken0123456789abcdef00';
const item = (id: number) => ({ id, name: `Thing ${id}`, like_count: id });

let api: Stub;
beforeAll(async () => {
  api = await startStub();
});
afterAll(() => api.close());
beforeEach(() => api.reset());

const client = (extra: Record<string, number> = {}) =>
  createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c', retryLimit: 0, ...extra });
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as UpstreamError);

describe('the body cap', () => {
  it('is a few MB, one documented constant', () => {
    expect(MAX_BODY_BYTES).toBe(4 * 1024 * 1024);
  });

  it('a streamed answer past the cap is refused as bad_response/too_large, and reading stops early', async () => {
    let written = 0;
    let closedEarly!: Promise<boolean>;
    api.handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const chunk = `${JSON.stringify(item(1))},`.repeat(1000); // about 40 KB
      const pump = () => {
        while (written < 50 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('{}]');
      };
      closedEarly = new Promise((resolve) => res.on('close', () => resolve(!res.writableFinished)));
      pump();
    };
    const err = await failure(client({ maxBodyBytes: 256 * 1024 }).popular(TOKEN));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: 'bad_response', detail: 'too_large', status: 200, ambiguous: false });
    expect(await closedEarly).toBe(true);
    expect(written).toBeLessThan(10 * 1024 * 1024);
    expect(describeUpstream(err!, 'page')).toMatchObject({ status: 502, message: expect.stringMatching(/much larger answer than expected/) });
  });

  it('a Content-Length past the cap is refused before any of the body is read', async () => {
    api.handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) });
      res.write('[');
    };
    expect(await failure(client({ timeoutMs: 2000 }).thing(TOKEN, 1))).toMatchObject({ kind: 'bad_response', detail: 'too_large' });
  });

  it('a too-large answer to a like is ambiguous (the write may have been stored)', async () => {
    api.handler = (_q, res) => json(res, 200, 'x'.repeat(2048));
    expect(await failure(client({ maxBodyBytes: 1024 }).like(TOKEN, 5))).toMatchObject({ kind: 'bad_response', detail: 'too_large', ambiguous: true });
  });

  it('likesids of 2 million ids (about 17 MB) is refused, not parsed', async () => {
    const body = JSON.stringify(Array.from({ length: 2_000_000 }, (_, i) => 1_000_000 + i));
    expect(body.length).toBeGreaterThan(MAX_BODY_BYTES);
    api.handler = (_q, res) => json(res, 200, body);
    expect(await failure(client().likedIds(TOKEN, 'me'))).toMatchObject({ kind: 'bad_response', detail: 'too_large' });
  });

  it('likesids just under the cap parses, and the event loop never stalls for long meanwhile', async () => {
    const ids: number[] = [];
    for (let id = 1_000_000; ids.length * 8 < MAX_BODY_BYTES - 16; id++) ids.push(id);
    const body = JSON.stringify(ids);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_BYTES);
    api.handler = (_q, res) => json(res, 200, body);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const got = await client({ timeoutMs: 10_000 }).likedIds(TOKEN, 'me');
    delay.disable();
    expect(got).toHaveLength(ids.length);
    // One JSON.parse of 4 MiB plus one pass over the ids: tens of ms (a 2-million-id list
    // used to block for 6 s); the bound leaves room for a busy machine.
    expect(delay.max / 1e6).toBeLessThan(400);
  });
});

describe('never more items than asked for', () => {
  it('a /popular answer of 5,000 items for per_page=30 gives 30', async () => {
    api.handler = (_q, res) => json(res, 200, Array.from({ length: 5000 }, (_, i) => item(i + 1)));
    const page = await client().popular(TOKEN, { perPage: 30 });
    expect(page.items).toHaveLength(30);
    expect(page.items[29]!.id).toBe(30);
  });

  it('a search answer with too many hits is cut to per_page as well', async () => {
    api.handler = (_q, res) => json(res, 200, { total: 9, hits: Array.from({ length: 9 }, (_, i) => item(i + 1)) });
    const page = await client().list(TOKEN, { sort: 'newest', perPage: 4 });
    expect(page.items.map((t) => t.id)).toEqual([1, 2, 3, 4]);
    expect(page.total).toBe(9);
  });
});

describe('UPSTREAM_TIMEOUT_SECONDS is the whole wait (G1)', () => {
  it('a hanging upstream: the call ends near the limit, not once per retry', async () => {
    api.handler = () => undefined; // never answers
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 600, retryLimit: 2, retryDelayMs: 50 }).popular(TOKEN));
    const took = Date.now() - started;
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(took).toBeGreaterThanOrEqual(550);
    // Three attempts of 600 ms plus backoff would be about 2 s.
    expect(took).toBeLessThan(1500);
  });

  it('with a shorter attempt timeout the retries happen, all inside the same deadline', async () => {
    api.handler = () => undefined;
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 700, attemptTimeoutMs: 200, retryLimit: 5, retryDelayMs: 50 }).thing(TOKEN, 1));
    const took = Date.now() - started;
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(api.requests.length).toBeGreaterThanOrEqual(2);
    expect(took).toBeLessThan(1400);
  });

  it('no retry starts when its backoff would end past the deadline', async () => {
    api.handler = (_q, res) => json(res, 503, {});
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 500, retryLimit: 2, retryDelayMs: 1000 }).popular(TOKEN));
    expect(err).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(api.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(400);
  });
});
