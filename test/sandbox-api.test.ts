// Sandbox contract: the REST API's auth rules, error envelopes, lists, search, detail and users.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createSandbox } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const sb = createSandbox();
const APP: string = SANDBOX_CLIENT.appToken;
const HOST = 'sandbox.test:3001';
const get = (url: string, token: string | null = APP) => {
  const req = request(sb.app).get(url).set('Host', HOST);
  return token === null ? req : req.set('Authorization', `Bearer ${token}`);
};
type Item = { id: number; name: string; like_count: number; tags: { name: string }[]; created_at: string } & Record<string, unknown>;

beforeEach(() => sb.reset());

describe('authentication', () => {
  it('answers 401 NO_TOKEN_PROVIDED with WWW-Authenticate: Bearer V1 without a token', async () => {
    const res = await get('/popular', null);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer V1');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ error: 'Unauthorized access. No authentication was provided.', code: 401, type: 'NO_TOKEN_PROVIDED' });
  });

  it('answers 401 Unauthorized with X-Error for an unknown or revoked token', async () => {
    const token = sb.issueToken('ada_maker');
    sb.revokeToken(token);
    for (const t of ['0'.repeat(32), token]) {
      const res = await get('/things/1399462', t);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Unauthorized' });
      expect(res.headers['x-error']).toBe('Unauthorized');
    }
  });

  it('accepts the token as a Bearer header or as ?access_token=', async () => {
    expect((await get('/popular?per_page=1')).status).toBe(200);
    expect((await get(`/popular?per_page=1&access_token=${APP}`, null)).status).toBe(200);
  });

  it('refuses the App Token on /users/me and on writes', async () => {
    for (const res of [
      await get('/users/me'),
      await get('/users/me/likes'),
      await request(sb.app).post('/things/1399462/likes').set('Authorization', `Bearer ${APP}`),
      await request(sb.app).delete('/things/1399462/likes').query({ access_token: APP }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Unauthorized' });
    }
  });

  it('answers unknown routes with a JSON 404 naming the method and path', async () => {
    const res = await request(sb.app).patch('/nope/here?x=1');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ error: 'Not Found: PATCH /nope/here' });
  });
});

describe('GET /popular', () => {
  it('returns a bare array of 30 list items sorted by like_count desc, id asc on ties', async () => {
    const res = await get('/popular');
    const items = res.body as Item[];
    expect(Array.isArray(items)).toBe(true);
    expect(items).toHaveLength(30);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!];
      expect(a.like_count > b.like_count || (a.like_count === b.like_count && a.id < b.id)).toBe(true);
    }
  });

  it('pages with page/per_page, clamps per_page to 100 and gives [] past the end', async () => {
    const all = (await get('/popular?per_page=20')).body as Item[];
    const second = (await get('/popular?page=2&per_page=10')).body as Item[];
    expect(second.map((t) => t.id)).toEqual(all.slice(10, 20).map((t) => t.id));
    expect((await get('/popular?per_page=500')).body).toHaveLength(100);
    expect((await get('/popular?page=17&per_page=100')).body).toEqual([]);
    expect((await get('/popular?page=16&per_page=100')).body).toHaveLength(100);
  });

  it('answers 400 Bad Request for page/per_page that are not positive integers', async () => {
    for (const q of ['page=0', 'page=-1', 'per_page=abc', 'page=1.5', 'per_page=0', 'page=']) {
      const res = await get(`/popular?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.body).toEqual({ error: 'Bad Request' });
    }
  });

  it('puts names that need HTML escaping and a trailing space on the first page', async () => {
    const names = ((await get('/popular')).body as Item[]).map((t) => t.name);
    expect(names).toContain('Clip <v2> & "Pro"');
    expect(names.some((n) => n.endsWith(' '))).toBe(true);
  });

  it('is identical across sandboxes (deterministic seed)', async () => {
    const other = createSandbox();
    const a = await get('/popular?per_page=100&page=3');
    const b = await request(other.app).get('/popular?per_page=100&page=3').set('Host', HOST).set('Authorization', `Bearer ${APP}`);
    expect(b.text).toBe(a.text);
    expect(a.body).toHaveLength(100);
  });
});

describe('shapes match the real captures', () => {
  // The keys of every item in test/fixtures/real/popular-2021.json.
  const FIXTURE_ITEM_KEYS = ['comment_count', 'created_at', 'creator', 'id', 'is_nsfw', 'is_private', 'is_published', 'is_purchased', 'like_count', 'name', 'preview_image', 'public_url', 'tags', 'thumbnail', 'url'];
  const FIXTURE_CREATOR_KEYS = ['accepts_tips', 'count_of_designs', 'count_of_followers', 'count_of_following', 'cover', 'first_name', 'id', 'is_following', 'last_name', 'location', 'name', 'public_url', 'thumbnail', 'url'];
  const fixtures = path.join(import.meta.dirname, 'fixtures', 'real');

  it('list items carry every key of the real /popular items, with the same JSON types', async () => {
    const item = ((await get('/popular?per_page=1')).body as Item[])[0]!;
    expect(Object.keys(item)).toEqual(expect.arrayContaining(FIXTURE_ITEM_KEYS));
    expect(Object.keys(item['creator'] as object)).toEqual(expect.arrayContaining(FIXTURE_CREATOR_KEYS));
    expect(item).toMatchObject({ is_private: 0, is_purchased: 0, is_published: 1, is_nsfw: null });
    expect(item.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(item['url']).toBe(`http://${HOST}/things/${item.id}`);
    expect(item['public_url']).toBe(`http://${HOST}/thing:${item.id}`);
    expect(item['thumbnail']).toMatch(new RegExp(`^http://${HOST}/img/things/${item.id}\\.svg`));
    expect(Object.keys(item.tags[0]!).sort()).toEqual(['absolute_url', 'count', 'name', 'tag', 'things_url', 'url']);
    { // the real captures (test/fixtures/real)
      const real = JSON.parse(readFileSync(path.join(fixtures, 'popular-2021.json'), 'utf8')) as Record<string, unknown>[];
      for (const r of real) {
        expect(Object.keys(r).sort()).toEqual(FIXTURE_ITEM_KEYS);
        for (const k of FIXTURE_ITEM_KEYS) expect([k, typeof item[k]]).toEqual([k, typeof r[k]]);
      }
    }
  });

  it('the detail has the real detail keys, 0/1 flags and a default_image with sizes', async () => {
    const res = await get('/things/1399462');
    expect(res.status).toBe(200);
    const d = res.body as Record<string, unknown>;
    expect(d).toMatchObject({ id: 1399462, name: 'Clip <v2> & "Pro"', is_published: 1, is_wip: 0, is_private: 0, is_purchased: 0, is_liked: false, type_name: 'Thing' });
    expect(typeof d['is_featured']).toBe('boolean');
    expect(d['description_html']).toContain('Clip &#60;v2&#62; &#38; &#34;Pro&#34;');
    expect(d['added']).toMatch(/\+00:00$/);
    expect(d['likes_url']).toBe(`http://${HOST}/things/1399462/likes`);
    const img = d['default_image'] as { sizes: { type: string; size: string; url: string }[] };
    expect(img.sizes).toContainEqual({ type: 'preview', size: 'card', url: `http://${HOST}/img/things/1399462.svg?type=preview&size=card` });
    { // the real captures (test/fixtures/real)
      const real = JSON.parse(readFileSync(path.join(fixtures, 'thing-detail.json'), 'utf8')) as Record<string, unknown>;
      const missing = Object.keys(real).filter((k) => !(k in d));
      expect(missing).toEqual([]);
      for (const k of Object.keys(real)) if (real[k] !== null) expect([k, typeof d[k]]).toEqual([k, typeof real[k]]);
    }
  });
});

describe('GET /things/:id', () => {
  it('answers 404 "Thing <id> does not exist" for an unknown id and 400 for a non-numeric one', async () => {
    const missing = await get('/things/42');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Thing 42 does not exist' });
    const junk = await get('/things/abc');
    expect(junk.status).toBe(400);
    expect(junk.body).toEqual({ error: 'Bad Request' });
  });
});

describe('GET /search', () => {
  it('wraps hits in {total, hits} and matches names and tags case-insensitively', async () => {
    const res = await get('/search/OCTOPUS/?type=things&per_page=5');
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThan(5);
    expect(res.body.hits).toHaveLength(5);
    for (const hit of res.body.hits as Item[]) {
      expect(`${hit.name} ${hit.tags.map((t) => t.name).join(' ')}`.toLowerCase()).toContain('octopus');
    }
    const noSlash = await get('/search/octopus?per_page=5');
    expect(noSlash.body.total).toBe(res.body.total);
  });

  it('sorts by popular or newest, and lists everything for an empty term', async () => {
    const popular = (await get('/search/?sort=popular&per_page=10')).body;
    expect(popular.total).toBe(1600);
    expect((popular.hits as Item[]).map((t) => t.id)).toEqual(((await get('/popular?per_page=10')).body as Item[]).map((t) => t.id));
    const newest = (await get('/search?sort=newest&per_page=10')).body.hits as Item[];
    for (let i = 1; i < newest.length; i++) expect(newest[i - 1]!.created_at >= newest[i]!.created_at).toBe(true);
  });

  it('filters by liked_by and gives {"total":0,"hits":null} when a term matches nothing', async () => {
    const ada = sb.users().find((u) => u.name === 'ada_maker')!;
    const liked = (await get(`/search/?liked_by=${ada.id}&per_page=100`)).body;
    expect(liked.total).toBe(12);
    expect((liked.hits as Item[]).map((t) => t.id).sort()).toEqual(sb.likedIds('ada_maker').sort());
    expect((await get('/search/zzqqxx')).body).toEqual({ total: 0, hits: null });
  });

  it('answers 400 for unknown sort or type and bad paging', async () => {
    for (const q of ['sort=best', 'type=users', 'page=0', 'liked_by=x']) expect((await get(`/search/?${q}`)).status).toBe(400);
  });
});

describe('users', () => {
  it('GET /users/me returns the token user with email; /users/{name} is case-insensitive, canonical, email ""', async () => {
    const me = await get('/users/me', sb.issueToken('ada_maker'));
    expect(me.body).toMatchObject({ name: 'ada_maker', first_name: 'Ada', like_count: 12, email: 'ada_maker@sandbox.invalid', level: 10 });
    expect(me.body.public_url).toBe(`http://${HOST}/u/ada_maker`);
    const bram = await get('/users/BRAM_PRINTS');
    expect(bram.status).toBe(200);
    expect(bram.body.name).toBe('bram_prints');
    expect(bram.body.email).toBe('');
    expect(bram.body.count_of_designs).toBeGreaterThan(0);
    expect(bram.body.likes_url).toBe(`http://${HOST}/users/bram_prints/likes`);
  });

  it('answers 404 {"error":"Not Found"} for an unknown user on every user route', async () => {
    for (const p of ['/users/nobody_here', '/users/nobody_here/likes', '/users/nobody_here/likesids']) {
      const res = await get(p);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Not Found' });
    }
  });

  it('lists likes newest first as list items and as ids, with paging', async () => {
    const ids = (await get('/users/cleo_collects/likesids')).body as number[];
    expect(ids).toHaveLength(1200);
    expect(ids).toEqual(sb.likedIds('cleo_collects'));
    const page2 = (await get('/users/cleo_collects/likes?page=2&per_page=50')).body as Item[];
    expect(page2.map((t) => t.id)).toEqual(ids.slice(50, 100));
    expect(Object.keys(page2[0]!)).toContain('preview_image');
    expect((await get('/users/dara_new/likes')).body).toEqual([]);
    expect((await get('/users/cleo_collects/likes?per_page=-3')).status).toBe(400);
  });
});
