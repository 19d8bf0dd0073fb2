// The client's request shapes against recording stubs: method, path, headers, where the token
// goes (Authorization header or the tokeninfo form body, never a URL), and reply parsing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import type { ThingiverseClient } from '../src/thingiverse/types.js';
import { json, startStub, text } from './helpers/client-stub.js';
import type { Recorded, Stub } from './helpers/client-stub.js';

const TOKEN = 'SENTINELtoken0123456789abcdef00';
const item = (id: number) => ({ id, name: `Thing ${id} `, public_url: `https://www.thingiverse.com/thing:${id}`, like_count: id });

let api: Stub;
let www: Stub;
let client: ThingiverseClient;

beforeAll(async () => {
  [api, www] = await Promise.all([startStub(), startStub()]);
  client = createThingiverseClient({ apiUrl: api.url, authUrl: www.url, clientId: 'cid0123456789abcdef0', clientSecret: 'SECRETvalue' });
});
afterAll(async () => {
  await Promise.all([api.close(), www.close()]);
});
beforeEach(() => {
  api.reset();
  www.reset();
});

/** The checks every API request must pass: bearer header only, no token in the URL, our UA and Accept. */
function expectApiRequest(rec: Recorded | undefined, method: string, url: string) {
  expect(rec).toBeDefined();
  expect(rec!.method).toBe(method);
  expect(rec!.url).toBe(url);
  expect(rec!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(rec!.url).not.toContain(TOKEN);
  expect(rec!.url).not.toContain('access_token');
  expect(rec!.headers['user-agent']).toBe('thingiverse-likes/0.1 (+local app)');
  expect(rec!.headers.accept).toBe('application/json');
}

describe('API requests', () => {
  it('popular: GET /popular with page and per_page, parsed into a Page', async () => {
    api.handler = (_q, res) => json(res, 200, [item(1), item(2)]);
    const page = await client.popular(TOKEN, { page: 2, perPage: 5 });
    expectApiRequest(api.requests[0], 'GET', '/popular?page=2&per_page=5');
    expect(page).toMatchObject({ page: 2, perPage: 5, total: null, items: [{ id: 1, name: 'Thing 1' }, { id: 2 }] });
  });

  it('popular: defaults to page 1, 30 per page', async () => {
    api.handler = (_q, res) => json(res, 200, []);
    await expect(client.popular(TOKEN)).resolves.toEqual({ items: [], page: 1, perPage: 30, total: null });
    expect(api.requests[0]?.url).toBe('/popular?page=1&per_page=30');
  });

  it('thing: GET /things/:id, parsed with isLiked', async () => {
    api.handler = (_q, res) => json(res, 200, { ...item(123), is_liked: 1 });
    const thing = await client.thing(TOKEN, 123);
    expectApiRequest(api.requests[0], 'GET', '/things/123');
    expect(thing).toMatchObject({ id: 123, name: 'Thing 123', isLiked: true, likeCount: 123 });
  });

  it('like: POST /things/:id/likes with no body; the reply body is ignored', async () => {
    api.handler = (_q, res) => json(res, 200, { ok: 'ok' });
    await expect(client.like(TOKEN, 42)).resolves.toBeUndefined();
    expectApiRequest(api.requests[0], 'POST', '/things/42/likes');
    expect(api.requests[0]?.body).toBe('');
    expect(api.requests).toHaveLength(1);
  });

  it('unlike: DELETE /things/:id/likes', async () => {
    api.handler = (_q, res) => text(res, 200, '');
    await expect(client.unlike(TOKEN, 42)).resolves.toBeUndefined();
    expectApiRequest(api.requests[0], 'DELETE', '/things/42/likes');
  });

  it('likedThings: GET /users/:name/likes with paging', async () => {
    api.handler = (_q, res) => json(res, 200, [item(9)]);
    const page = await client.likedThings(TOKEN, 'Ada_Q.1-x', { page: 3, perPage: 10 });
    expectApiRequest(api.requests[0], 'GET', '/users/Ada_Q.1-x/likes?page=3&per_page=10');
    expect(page.items.map((t) => t.id)).toEqual([9]);
  });

  it('likedIds: GET /users/:name/likesids, parsed into numbers', async () => {
    api.handler = (_q, res) => json(res, 200, [5, 3, 5, 'x', 0]);
    await expect(client.likedIds(TOKEN, 'me')).resolves.toEqual([5, 3]);
    expectApiRequest(api.requests[0], 'GET', '/users/me/likesids');
  });

  it('me: GET /users/me, parsed into a User', async () => {
    api.handler = (_q, res) => json(res, 200, { id: 77, name: 'quietmaker', first_name: 'Ada', last_name: 'Quill', like_count: 4 });
    await expect(client.me(TOKEN)).resolves.toEqual({ id: 77, name: 'quietmaker', displayName: 'Ada Quill', publicUrl: null, thumbnail: null, likeCount: 4 });
    expectApiRequest(api.requests[0], 'GET', '/users/me');
  });

  it('never sends anything to the OAuth host for API calls', async () => {
    api.handler = (_q, res) => json(res, 200, []);
    await client.popular(TOKEN);
    expect(www.requests).toHaveLength(0);
  });
});

describe('OAuth host requests', () => {
  it('tokenInfo: POSTs the token form-encoded in the body, not the URL or a header', async () => {
    www.handler = (_q, res) => json(res, 200, { audience: 123456, user_id: '77' });
    await expect(client.tokenInfo(TOKEN)).resolves.toEqual({ audience: '123456', userId: '77' });
    const rec = www.requests[0]!;
    expect(rec.method).toBe('POST');
    expect(rec.url).toBe('/login/oauth/tokeninfo');
    expect(rec.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(rec.body).get('access_token')).toBe(TOKEN);
    expect(rec.headers.authorization).toBeUndefined();
    expect(api.requests).toHaveLength(0);
  });

  it('tokenInfo: a 200 with {"error": ...} is unauthorized', async () => {
    www.handler = (_q, res) => json(res, 200, { error: 'invalid token' });
    await expect(client.tokenInfo(TOKEN)).rejects.toMatchObject({ kind: 'unauthorized', operation: 'POST /login/oauth/tokeninfo' });
  });

  it('tokenInfo: a 400 {"error": ...} is unauthorized too (the bad-token status is undocumented)', async () => {
    www.handler = (_q, res) => json(res, 400, { error: 'invalid token' });
    await expect(client.tokenInfo(TOKEN)).rejects.toMatchObject({ kind: 'unauthorized', status: 400 });
  });

  it('exchangeCode: posts the code-flow form and reads a form-encoded reply', async () => {
    www.handler = (_q, res) => text(res, 200, 'access_token=abc123def&token_type=Bearer', 'application/x-www-form-urlencoded');
    await expect(client.exchangeCode('code-1', 'http://localhost:3000/callback')).resolves.toBe('abc123def');
    const rec = www.requests[0]!;
    expect(rec.method).toBe('POST');
    expect(rec.url).toBe('/login/oauth/access_token');
    expect(rec.headers.accept).toBe('application/json');
    expect(Object.fromEntries(new URLSearchParams(rec.body))).toEqual({
      client_id: 'cid0123456789abcdef0',
      client_secret: 'SECRETvalue',
      code: 'code-1',
      grant_type: 'authorization_code',
      redirect_uri: 'http://localhost:3000/callback',
    });
  });

  it('exchangeCode: reads a JSON reply', async () => {
    www.handler = (_q, res) => json(res, 200, { access_token: 'fromjson42', token_type: 'bearer' });
    await expect(client.exchangeCode('c', 'http://localhost:3000/callback')).resolves.toBe('fromjson42');
  });

  it('exchangeCode: an error reply (even with 200) is bad_request; garbage is bad_response', async () => {
    www.handler = (_q, res) => json(res, 200, { error: 'bad_verification_code' });
    await expect(client.exchangeCode('c', 'http://x/cb')).rejects.toMatchObject({ kind: 'bad_request' });
    www.handler = (_q, res) => json(res, 400, { error: 'invalid_grant' });
    await expect(client.exchangeCode('c', 'http://x/cb')).rejects.toMatchObject({ kind: 'bad_request', status: 400 });
    www.handler = (_q, res) => text(res, 200, '<html>oops</html>', 'text/html');
    await expect(client.exchangeCode('c', 'http://x/cb')).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('exchangeCode: without a client secret it throws a plain Error and sends nothing', async () => {
    const noSecret = createThingiverseClient({ apiUrl: api.url, authUrl: www.url, clientId: 'cid' });
    const err = await noSecret.exchangeCode('c', 'http://x/cb').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/clientSecret/);
    expect(www.requests).toHaveLength(0);
  });
});

describe('options', () => {
  it('sends a configured User-Agent', async () => {
    const custom = createThingiverseClient({ apiUrl: api.url, authUrl: www.url, clientId: 'c', userAgent: 'probe/1.0' });
    api.handler = (_q, res) => json(res, 200, []);
    await custom.popular(TOKEN);
    expect(api.requests[0]?.headers['user-agent']).toBe('probe/1.0');
  });

  it('refuses non-http base URLs at construction', () => {
    expect(() => createThingiverseClient({ apiUrl: 'file:///etc', authUrl: www.url, clientId: 'c' })).toThrow(TypeError);
    expect(() => createThingiverseClient({ apiUrl: api.url, authUrl: 'not a url', clientId: 'c' })).toThrow(TypeError);
  });
});
