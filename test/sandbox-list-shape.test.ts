// Sandbox contract: the switch to the 2019-2020 list shape (option and control route), so app tests
// can show that they cope with both shapes Thingiverse has sent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, listen, type Listening } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

// The 2019 /newest item (Openverse's capture, API doc 3.1), and its creator.
const LEGACY_KEYS = ['creator', 'id', 'is_private', 'is_published', 'is_purchased', 'name', 'public_url', 'thumbnail', 'url'];
const LEGACY_CREATOR_KEYS = ['accepts_tips', 'first_name', 'id', 'last_name', 'name', 'public_url', 'thumbnail', 'url'];
const LISTS = ['/popular', '/newest', '/featured', '/users/cleo_collects/likes'];

const sb = createSandbox();
let server: Listening;
const api = async (path: string) => {
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } });
  return { status: res.status, body: (await res.json()) as unknown };
};
const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}/__sandbox${path}`, {
    method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const items = async (path: string) => {
  const { body } = await api(`${path}${path.includes('?') ? '&' : '?'}per_page=5`);
  return (Array.isArray(body) ? body : (body as { hits: Record<string, unknown>[] }).hits) as Record<string, unknown>[];
};

beforeAll(async () => {
  server = await listen(sb);
});
afterAll(() => server.close());
beforeEach(() => sb.reset());

describe('list shape switch', () => {
  it('serves the current shape by default', async () => {
    expect(await control('GET', '/list-shape')).toEqual({ status: 200, body: { shape: 'current' } });
    for (const item of await items('/popular')) {
      expect(item).toMatchObject({ is_published: 1, is_private: 0 });
      expect(typeof item['like_count']).toBe('number');
    }
  });

  it('PUT /__sandbox/list-shape legacy: boolean flags, no like_count, created_at or tags, on every list and search', async () => {
    expect(await control('PUT', '/list-shape', { shape: 'legacy' })).toEqual({ status: 200, body: { shape: 'legacy' } });
    for (const path of [...LISTS, '/search?sort=popular']) {
      for (const item of await items(path)) {
        // /featured keeps its spotlight_images on top of the legacy item.
        const keys = path === '/featured' ? [...LEGACY_KEYS, 'spotlight_images'].sort() : LEGACY_KEYS;
        expect([path, Object.keys(item).sort()]).toEqual([path, keys]);
        expect(Object.keys(item['creator'] as object).sort()).toEqual(LEGACY_CREATOR_KEYS);
        expect(item).toMatchObject({ is_private: false, is_purchased: false, is_published: true });
      }
    }
  });

  it('leaves the thing detail alone, and reset() goes back to the option', async () => {
    await control('PUT', '/list-shape', { shape: 'legacy' });
    const id = (await items('/popular'))[0]!['id'];
    const detail = (await api(`/things/${id}`)).body as Record<string, unknown>;
    expect(typeof detail['like_count']).toBe('number');
    sb.reset();
    expect(typeof (await items('/popular'))[0]!['like_count']).toBe('number');
  });

  it('refuses an unknown shape with a 400 naming the choices', async () => {
    const res = await control('PUT', '/list-shape', { shape: '2019' });
    expect(res.status).toBe(400);
    expect(res.body['error']).toBe('shape must be one of current, legacy');
    expect(() => sb.setListShape('old' as 'legacy')).toThrow(/current, legacy/);
  });

  it('createSandbox({listShape: "legacy"}) starts in the legacy shape and keeps it across reset()', async () => {
    const legacy = createSandbox({ listShape: 'legacy' });
    const other = await listen(legacy);
    try {
      const res = await fetch(`${other.url}/popular?per_page=2`, { headers: { Authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } });
      const body = (await res.json()) as Record<string, unknown>[];
      expect(Object.keys(body[0]!).sort()).toEqual(LEGACY_KEYS);
      legacy.reset();
      const again = (await (await fetch(`${other.url}/popular?per_page=2`, { headers: { Authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } })).json()) as Record<string, unknown>[];
      expect(again[0]!['like_count']).toBeUndefined();
    } finally {
      await other.close();
    }
    expect(() => createSandbox({ listShape: 'x' as 'legacy' })).toThrow(/listShape must be one of/);
  });
});
