// Lists through GET /search (issue 10): the request shape for each sort, `hits` null or
// missing, an empty search answered 400/404, the fallback to the deprecated lists when
// /search is gone (404/410), and which endpoint answered reported once. Stubs for the quirks;
// the sandbox for the sorts it already serves.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import type { ListSource, ThingiverseClient } from '../src/thingiverse/types.js';
import { createSandbox, listen } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { json, startStub } from './helpers/client-stub.js';
import type { Stub } from './helpers/client-stub.js';

const TOKEN = 'SENTINELtoken0123456789abcdef00';
const item = (id: number) => ({ id, name: `Thing ${id}`, like_count: id });

let api: Stub;
let client: ThingiverseClient;
let reports: [string, ListSource][];
beforeAll(async () => {
  api = await startStub();
});
afterAll(() => api.close());
beforeEach(() => {
  api.reset();
  reports = [];
  client = createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c', retryLimit: 0, onListSource: (kind, source) => void reports.push([kind, source]) });
});

const path = (i = 0) => api.requests[i]?.url;

describe('GET /search', () => {
  it.each([
    [{ sort: 'popular' as const }, '/search?type=things&sort=popular&page=1&per_page=30'],
    [{ sort: 'newest' as const, page: 2, perPage: 10 }, '/search?type=things&sort=newest&page=2&per_page=10'],
    [{ sort: 'makes' as const }, '/search?type=things&sort=makes&page=1&per_page=30'],
    [{ featured: true }, '/search?type=things&sort=popular&is_featured=1&page=1&per_page=30'],
    [{ q: '  filament   clip ' }, '/search/filament%20clip?type=things&sort=relevant&page=1&per_page=30'],
    [{ q: 'benchy', sort: 'newest' as const }, '/search/benchy?type=things&sort=newest&page=1&per_page=30'],
  ])('%j asks %s', async (query, url) => {
    api.handler = (_q, res) => json(res, 200, { total: 1, hits: [item(1)] });
    const page = await client.list(TOKEN, query);
    expect(path()).toBe(url);
    expect(api.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(page).toMatchObject({ total: 1, items: [{ id: 1, likeCount: 1 }] });
  });

  it.each([
    ['hits: null', { total: 0, hits: null }],
    ['hits missing', { total: 0 }],
  ])('%s is an empty page', async (_name, body) => {
    api.handler = (_q, res) => json(res, 200, body);
    await expect(client.list(TOKEN, { q: 'nothing' })).resolves.toEqual({ items: [], page: 1, perPage: 30, total: 0 });
  });

  it.each([400, 404])('an empty search answered %i is an empty page, not an error', async (status) => {
    api.handler = (_q, res) => json(res, status, { error: 'No results' });
    await expect(client.list(TOKEN, { q: 'zzzz', page: 3 })).resolves.toEqual({ items: [], page: 3, perPage: 30, total: 0 });
    expect(api.requests).toHaveLength(1);
  });

  it('refuses search words that could change the path, before any request', async () => {
    for (const q of ['..', 'a\u0000b', 'x'.repeat(201)]) await expect(client.list(TOKEN, { q })).rejects.toThrow(TypeError);
    await expect(client.list(TOKEN, { sort: 'random' as never })).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
  });

  it('other failures stay failures (a 503 is not "no results")', async () => {
    api.handler = (_q, res) => json(res, 503, {});
    await expect(client.list(TOKEN, { q: 'x' })).rejects.toMatchObject({ kind: 'unavailable', op: 'search' });
  });
});

describe('fallback to the deprecated lists', () => {
  it.each([
    [404, { sort: 'newest' as const }, '/newest', 'newest'],
    [410, { sort: 'popular' as const }, '/popular', 'popular'],
    [404, { featured: true }, '/featured', 'featured'],
  ])('/search %i for %j: answered by %s, reported once, and asked directly next time', async (status, query, old, source) => {
    api.handler = (q, res) => (q.url!.startsWith('/search') ? json(res, status, { error: 'gone' }) : json(res, 200, [item(7), item(8)]));
    const first = await client.list(TOKEN, { ...query, perPage: 1 });
    expect(api.requests.map((r) => r.url)).toEqual([expect.stringMatching(/^\/search\?/), `${old}?page=1&per_page=1`]);
    expect(first).toMatchObject({ items: [{ id: 7 }], total: null });
    await client.list(TOKEN, query);
    expect(api.requests.map((r) => r.url.split('?')[0])).toEqual(['/search', old, old]);
    expect(reports).toEqual([[expect.any(String), source]]);
  });

  it('/search working: reported once as search however many pages are read', async () => {
    api.handler = (_q, res) => json(res, 200, { total: 2, hits: [item(1)] });
    for (const page of [1, 2, 3]) await client.list(TOKEN, { sort: 'newest', page });
    await client.list(TOKEN, { q: 'x' });
    expect(reports).toEqual([['newest', 'search'], ['search:relevant', 'search']]);
  });

  it('a search (with words) never falls back: the old lists cannot search', async () => {
    api.handler = (_q, res) => json(res, 410, {});
    await expect(client.list(TOKEN, { q: 'x' })).rejects.toMatchObject({ kind: 'not_found', status: 410 });
    expect(api.requests).toHaveLength(1);
  });
});

describe('against the sandbox', () => {
  it('lists popular and newest through /search with a total, and searches by words', async () => {
    const sandbox = createSandbox();
    const server = await listen(sandbox, { port: 0 });
    try {
      const c = createThingiverseClient({ apiUrl: server.url, authUrl: server.url, clientId: SANDBOX_CLIENT.clientId });
      const popular = await c.list(SANDBOX_CLIENT.appToken, { sort: 'popular', perPage: 5 });
      expect(popular.items).toHaveLength(5);
      expect(popular.total).toBeGreaterThan(5);
      const counts = popular.items.map((t) => t.likeCount!);
      expect([...counts].sort((x, y) => y - x)).toEqual(counts);
      const newest = await c.list(SANDBOX_CLIENT.appToken, { sort: 'newest', perPage: 5 });
      const ids = newest.items.map((t) => t.id);
      expect([...ids].sort((x, y) => y - x)).toEqual(ids);
      const word = popular.items[0]!.name.split(' ')[0]!;
      const found = await c.list(SANDBOX_CLIENT.appToken, { q: word, perPage: 10 });
      expect(found.items.length).toBeGreaterThan(0);
      expect(sandbox.requests().every((r) => r.url.startsWith('/search'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
