// Every upstream status and failure maps to one UpstreamError kind (G3), redirects are not
// followed (G4), and bodies that are not the expected JSON are bad_response.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import { UpstreamError } from '../src/thingiverse/errors.js';
import type { ThingiverseClient } from '../src/thingiverse/types.js';
import { RATE_LIMIT_TEXT } from '../src/sandbox/defaults.js';
import { json, startStub, text } from './helpers/client-stub.js';
import type { Handler, Stub } from './helpers/client-stub.js';

const TOKEN = 'SENTINELtoken0123456789abcdef00';
const CLOUDFLARE = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>';

let api: Stub;
let evil: Stub;
let client: ThingiverseClient;

beforeAll(async () => {
  [api, evil] = await Promise.all([startStub(), startStub()]);
});
afterAll(async () => {
  await Promise.all([api.close(), evil.close()]);
});
beforeEach(() => {
  api.reset();
  evil.reset();
  // No retries here: this file is about mapping; retries have their own file. A fresh client
  // (and limiter) per test: a 429 case holds the token back, as it should, for the next case.
  client = createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c', retryLimit: 0, timeoutMs: 300 });
});

async function failure(call: () => Promise<unknown>): Promise<UpstreamError> {
  const err = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

const cases: [string, Handler, { kind: string; status: number | null }][] = [
  ['401 JSON', (_q, r) => json(r, 401, { error: 'Unauthorized access. No authentication was provided.', code: 401, type: 'NO_TOKEN_PROVIDED' }), { kind: 'unauthorized', status: 401 }],
  ['403 JSON', (_q, r) => json(r, 403, { error: 'Thing is private' }), { kind: 'forbidden', status: 403 }],
  ['403 Cloudflare HTML', (_q, r) => text(r, 403, CLOUDFLARE, 'text/html; charset=UTF-8'), { kind: 'unavailable', status: 403 }],
  ['404', (_q, r) => json(r, 404, { error: 'Thing 1 does not exist' }), { kind: 'not_found', status: 404 }],
  ['400', (_q, r) => json(r, 400, { error: 'Bad Request' }), { kind: 'bad_request', status: 400 }],
  ['422', (_q, r) => json(r, 422, { error: 'Unprocessable' }), { kind: 'bad_request', status: 422 }],
  ['420', (_q, r) => text(r, 420, 'Enhance your calm'), { kind: 'rate_limited', status: 420 }],
  ['500', (_q, r) => json(r, 500, { error: 'oops' }), { kind: 'unavailable', status: 500 }],
  ['502 with body []', (_q, r) => json(r, 502, []), { kind: 'unavailable', status: 502 }],
  ['503', (_q, r) => text(r, 503, 'Service Unavailable'), { kind: 'unavailable', status: 503 }],
  ['302 (not followed)', (_q, r) => { r.writeHead(302, { location: `${evil.url}/steal` }); r.end(); }, { kind: 'bad_response', status: 302 }],
  ['200 malformed JSON', (_q, r) => text(r, 200, '[{"id": 1, "name": "trunc', 'application/json'), { kind: 'bad_response', status: 200 }],
  ['200 HTML', (_q, r) => text(r, 200, CLOUDFLARE, 'text/html'), { kind: 'bad_response', status: 200 }],
  ['200 wrong shape', (_q, r) => json(r, 200, { error: 'nope' }), { kind: 'bad_response', status: 200 }],
  ['connection reset', (q) => q.socket.destroy(), { kind: 'unavailable', status: null }],
];

describe.each(cases)('GET /popular answering %s', (_name, handler, expected) => {
  it(`maps to ${expected.kind}`, async () => {
    api.handler = handler;
    const err = await failure(() => client.popular(TOKEN));
    expect(err).toMatchObject({ ...expected, operation: 'GET /popular', ambiguous: false });
    expect(err.message).not.toMatch(/Just a moment|NO_TOKEN|does not exist|oops|trunc/);
    expect(api.requests).toHaveLength(1);
  });
});

describe('special cases', () => {
  it('the Cloudflare page says Thingiverse is blocking automated traffic', async () => {
    api.handler = (_q, r) => text(r, 403, CLOUDFLARE, 'text/html');
    expect((await failure(() => client.thing(TOKEN, 5))).message).toMatch(/blocking automated traffic/);
  });

  it('a 302 is not followed: the redirect target never sees a request', async () => {
    api.handler = (_q, r) => { r.writeHead(302, { location: `${evil.url}/steal` }); r.end(); };
    await failure(() => client.like(TOKEN, 5));
    expect(evil.requests).toHaveLength(0);
  });

  it('429 with Retry-After sets retryAt from the header', async () => {
    api.handler = (_q, r) => text(r, 429, RATE_LIMIT_TEXT, 'text/plain', { 'retry-after': '120' });
    const before = Date.now();
    const err = await failure(() => client.me(TOKEN));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, operation: 'GET /users/me' });
    expect(err.retryAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(err.retryAt).toBeLessThanOrEqual(Date.now() + 120_000);
  });

  it('the 113-byte plain-text rate-limit body means rate_limited, 5 minutes when no Retry-After', async () => {
    expect(Buffer.byteLength(RATE_LIMIT_TEXT)).toBe(113);
    api.handler = (_q, r) => text(r, 429, RATE_LIMIT_TEXT);
    const before = Date.now();
    const err = await failure(() => client.popular(TOKEN));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAt! - before).toBeGreaterThanOrEqual(300_000);
    expect(err.retryAt! - Date.now()).toBeLessThanOrEqual(300_000);
  });

  it('the rate-limit text is recognised even with a 200 status', async () => {
    api.handler = (_q, r) => text(r, 200, RATE_LIMIT_TEXT);
    expect(await failure(() => client.likedIds(TOKEN, 'me'))).toMatchObject({ kind: 'rate_limited', status: 200 });
  });

  it('a request that gets no answer within timeoutMs is a timeout', async () => {
    api.handler = () => undefined; // never answers
    const started = Date.now();
    const err = await failure(() => client.thing(TOKEN, 9));
    expect(err).toMatchObject({ kind: 'timeout', status: null, ambiguous: false, operation: 'GET /things/:id' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a refused connection is unavailable and never ambiguous, even for a write', async () => {
    const closed = await startStub();
    const url = closed.url;
    await closed.close();
    const down = createThingiverseClient({ apiUrl: url, authUrl: url, clientId: 'c', retryLimit: 0 });
    expect(await failure(() => down.like(TOKEN, 1))).toMatchObject({ kind: 'unavailable', ambiguous: false, status: null });
  });

  it('errors on the OAuth host carry their own operation', async () => {
    api.handler = (_q, r) => json(r, 401, { error: 'invalid token' });
    expect(await failure(() => client.tokenInfo(TOKEN))).toMatchObject({ kind: 'unauthorized', operation: 'POST /login/oauth/tokeninfo' });
  });
});
