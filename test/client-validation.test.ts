// Input validation before any request (P1), the token never leaking into errors (L1), and
// the small OAuth-reply parsers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import { isValidThingId } from '../src/thingiverse/ids.js';
import { parseIds, parseTokenInfo, parseTokenResponse } from '../src/thingiverse/parse.js';
import { ShapeError } from '../src/thingiverse/parse-util.js';
import type { ThingiverseClient } from '../src/thingiverse/types.js';
import { json, startStub, text } from './helpers/client-stub.js';
import type { Handler, Stub } from './helpers/client-stub.js';

const TOKEN = 'SENTINELtoken0123456789abcdef00';

let api: Stub;
let client: ThingiverseClient;

beforeAll(async () => {
  api = await startStub();
  client = createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c', clientSecret: 'SECRETvalue', retryLimit: 0, timeoutMs: 200 });
});
afterAll(() => api.close());
beforeEach(() => {
  api.reset();
  api.handler = (_q, r) => json(r, 200, []);
});

describe('isValidThingId (route params)', () => {
  it.each(['1', '123', '999999999999'])('accepts %s', (raw) => {
    expect(isValidThingId(raw)).toBe(Number(raw));
  });
  it.each(['', '0', '01', '-1', '1e3', '1.0', ' 1', '1 ', '..', '1/../me', '%31', '1?x=1', '1#x', '٣', '１', '9'.repeat(13), '9'.repeat(300)])(
    'rejects %p',
    (raw) => {
      expect(isValidThingId(raw)).toBeNull();
    },
  );
});

describe('invalid input is refused before any request', () => {
  const badIds = [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, '12' as unknown as number];
  it.each(badIds)('thing id %p', async (id) => {
    await expect(client.thing(TOKEN, id)).rejects.toThrow(TypeError);
    await expect(client.like(TOKEN, id)).rejects.toThrow(TypeError);
    await expect(client.unlike(TOKEN, id)).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
  });

  it.each(['', '..', '.', 'a/b', 'a b', '../users/me', '%2e%2e', 'a?x=1', 'a#b', 'ü', 'x'.repeat(65)])('username %p', async (name) => {
    await expect(client.likedThings(TOKEN, name)).rejects.toThrow(TypeError);
    await expect(client.likedIds(TOKEN, name)).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
  });

  it.each(['', 'has space', 'line\r\nX-Evil: 1', 'x'.repeat(1025)])('token %p', async (token) => {
    await expect(client.me(token)).rejects.toThrow(TypeError);
    await expect(client.tokenInfo(token)).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
  });

  it.each([{ page: 0 }, { page: 1.5 }, { perPage: 0 }, { perPage: 101 }, { page: -2 }])('page query %p', async (query) => {
    await expect(client.popular(TOKEN, query)).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
  });

  it('validation messages do not echo the rejected token', async () => {
    const err = (await client.me(`${TOKEN} `).catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain(TOKEN);
  });
});

describe('the token never appears in errors', () => {
  const conditions: [string, Handler][] = [
    ['401', (_q, r) => json(r, 401, { error: `Unauthorized token ${TOKEN}` })],
    ['500', (_q, r) => text(r, 500, `boom ${TOKEN}`)],
    ['reset', (q) => q.socket.destroy()],
    ['timeout', () => undefined],
    ['malformed', (_q, r) => text(r, 200, `{"echo": "${TOKEN}`, 'application/json')],
    ['429', (_q, r) => text(r, 429, 'You can only send 300 requests per 5 minutes.')],
  ];
  it.each(conditions)('on %s', async (_name, handler) => {
    api.handler = handler;
    let failures = 0;
    for (const call of [() => client.like(TOKEN, 1), () => client.popular(TOKEN), () => client.tokenInfo(TOKEN), () => client.exchangeCode('CODEsentinel', 'http://x/cb')]) {
      const err = await call().then(() => null, (e: unknown) => e as Error);
      // like ignores its reply body, so a malformed 200 is a success for it.
      if (err === null) continue;
      failures += 1;
      const dumps = [JSON.stringify(err), String(err), err!.stack ?? '', JSON.stringify(Object.getOwnPropertyDescriptors(err))];
      for (const dump of dumps) {
        expect(dump).not.toContain(TOKEN);
        expect(dump).not.toContain('SECRETvalue');
        expect(dump).not.toContain('CODEsentinel');
        expect(dump).not.toContain('Bearer');
      }
    }
    expect(failures).toBeGreaterThanOrEqual(3);
  });
});

describe('OAuth reply parsers', () => {
  it('parseTokenInfo accepts audience as a string or a number and requires it', () => {
    expect(parseTokenInfo({ audience: 'abc', user_id: '12' })).toEqual({ audience: 'abc', userId: '12' });
    expect(parseTokenInfo({ audience: 42, user_id: 12 })).toEqual({ audience: '42', userId: '12' });
    expect(parseTokenInfo({ audience: 'abc' })).toEqual({ audience: 'abc', userId: '' });
    expect(() => parseTokenInfo({ user_id: '1' })).toThrow(ShapeError);
    expect(() => parseTokenInfo([])).toThrow(ShapeError);
    const refused = (() => {
      try {
        parseTokenInfo({ error: 'invalid token' });
      } catch (e) {
        return e as ShapeError;
      }
      return null;
    })();
    expect(refused?.kind).toBe('unauthorized');
  });

  it('parseTokenResponse reads form-encoded and JSON replies', () => {
    expect(parseTokenResponse('access_token=abc&token_type=Bearer')).toEqual({ accessToken: 'abc', tokenType: 'Bearer' });
    expect(parseTokenResponse(' {"access_token":"def","token_type":"bearer"} ')).toEqual({ accessToken: 'def', tokenType: 'bearer' });
    expect(parseTokenResponse('token_type=x&access_token=ghi')).toEqual({ accessToken: 'ghi', tokenType: 'x' });
    for (const bad of ['', '<html>', '{"access_token": 5}', 'access_token=&x=1', '{"access_token":"a b"}', '{trunc']) {
      expect(() => parseTokenResponse(bad)).toThrow(ShapeError);
    }
  });

  it('parseIds keeps positive integer ids in order without duplicates', () => {
    expect(parseIds([3, 1, 3, '7', -1, 0, 2.5, null, 'x'])).toEqual([3, 1, 7]);
    expect(() => parseIds({ ids: [1] })).toThrow(ShapeError);
  });
});
