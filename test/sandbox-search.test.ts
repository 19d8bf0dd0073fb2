// Sandbox contract: /search and /users/{name}/search with every sort and filter the app uses,
// the empty-result quirks (hits null, 400, 404), and the deprecated /newest and /featured lists.
import { beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createSandbox } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const sb = createSandbox();
const get = (url: string) => request(sb.app).get(url).set('Host', 'sandbox.test:3001').set('Authorization', `Bearer ${SANDBOX_CLIENT.appToken}`);
type Hit = { id: number; name: string; like_count: number; make_count: number; created_at: string; is_featured: boolean; rank: number | null; creator: { name: string } };
const hitsOf = async (url: string) => (await get(url)).body.hits as Hit[];
const ids = (items: { id: number }[]) => items.map((t) => t.id);
const userId = (name: string) => sb.users().find((u) => u.name === name)!.id;

beforeEach(() => sb.reset());

describe('GET /search sorts', () => {
  it('takes the term from the path or from q, the path winning', async () => {
    const path = await get('/search/octopus?per_page=100');
    const q = await get('/search?q=octopus&per_page=100');
    expect(path.body.total).toBeGreaterThan(0);
    expect(q.body).toEqual(path.body);
    expect((await get('/search/zzqqxx?q=octopus')).body).toEqual({ total: 0, hits: null });
  });

  it('relevant (and the old spelling relevent) puts name matches before tag-only matches', async () => {
    // "spool" is a tag and also a word in some names.
    const hits = await hitsOf('/search/spool?per_page=100');
    const inName = hits.map((h) => h.name.toLowerCase().includes('spool'));
    expect(inName.indexOf(false)).toBeGreaterThan(0);
    expect(inName.slice(inName.indexOf(false))).not.toContain(true);
    expect(ids(await hitsOf('/search/spool?sort=relevent&per_page=100'))).toEqual(ids(hits));
  });

  it('text orders by match, then name A-Z', async () => {
    const hits = await hitsOf('/search?sort=text&per_page=50');
    const names = hits.map((h) => h.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('popular follows /popular and numbers the places in rank; newest and makes sort their field', async () => {
    const popular = await hitsOf('/search?sort=popular&page=2&per_page=10');
    expect(ids(popular)).toEqual(ids((await get('/popular?page=2&per_page=10')).body));
    expect(popular.map((h) => h.rank)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const newest = await hitsOf('/search?sort=newest&per_page=30');
    expect(newest.every((h, i) => i === 0 || newest[i - 1]!.created_at >= h.created_at)).toBe(true);
    expect(newest.every((h) => h.rank === null)).toBe(true);
    const makes = await hitsOf('/search?sort=makes&per_page=30');
    expect(makes.every((h, i) => i === 0 || makes[i - 1]!.make_count >= h.make_count)).toBe(true);
    expect(makes[0]!.make_count).toBeGreaterThan(makes[29]!.make_count);
  });
});

describe('GET /search filters', () => {
  it('is_featured=1 keeps featured things only; 0 does not filter', async () => {
    const featured = await get('/search?is_featured=1&per_page=100');
    expect(featured.body.total).toBeGreaterThan(10);
    expect(featured.body.total).toBeLessThan(1600);
    expect((featured.body.hits as Hit[]).every((h) => h.is_featured)).toBe(true);
    expect((await get('/search?is_featured=0')).body.total).toBe(1600);
  });

  it('liked_by combines with a term and a sort', async () => {
    const cleo = new Set(sb.likedIds('cleo_collects'));
    const res = await get(`/search/box?liked_by=${userId('cleo_collects')}&sort=newest&per_page=100`);
    expect(res.body.total).toBeGreaterThan(0);
    for (const h of res.body.hits as Hit[]) {
      expect(cleo.has(h.id)).toBe(true);
      expect(h.name.toLowerCase()).toMatch(/box/);
    }
  });

  it('a new like shows up in liked_by at once', async () => {
    const ada = sb.issueToken('ada_maker');
    const before = (await get(`/search?liked_by=${userId('ada_maker')}`)).body.total as number;
    const target = ids((await get('/popular?page=10&per_page=100')).body).find((id) => !sb.likedIds('ada_maker').includes(id))!;
    await request(sb.app).post(`/things/${target}/likes`).set('Authorization', `Bearer ${ada}`).expect(200);
    const after = await get(`/search?liked_by=${userId('ada_maker')}&per_page=100`);
    expect(after.body.total).toBe(before + 1);
    expect(ids(after.body.hits)).toContain(target);
  });

  it('refuses unknown sorts, types, is_featured values and bad paging with 400', async () => {
    for (const q of ['sort=best', 'type=users', 'is_featured=yes', 'is_featured=2', 'page=0', 'per_page=x', 'liked_by=x']) {
      const res = await get(`/search/?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect(typeof res.body.error).toBe('string');
    }
  });
});

describe('empty results (the documented quirks, chosen deterministically)', () => {
  it('a term that matches nothing: 200 {"total":0,"hits":null}', async () => {
    for (const url of ['/search/zzqqxx', '/search?q=zzqqxx&sort=popular', '/search/octopus?liked_by=5100004']) {
      const res = await get(url);
      expect([url, res.status, res.body]).toEqual([url, 200, { total: 0, hits: null }]);
    }
  });

  it('a term without a letter or digit is an empty query: 400', async () => {
    for (const url of ['/search/%20', '/search?q=%20%20', '/search/!!!']) {
      const res = await get(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(res.body.error).toMatch(/empty search term/);
    }
  });

  it('no term and nothing left after the filters: 404', async () => {
    const res = await get(`/search?liked_by=${userId('dara_new')}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Not Found' });
    expect(res.headers['x-error']).toBe('Not Found');
  });

  it('a page past the end of a non-empty result: {"total":N,"hits":[]}', async () => {
    expect((await get('/search/octopus?page=500')).body).toEqual({ total: (await get('/search/octopus')).body.total, hits: [] });
  });
});

describe('GET /users/{name}/search/{term}', () => {
  it("searches that user's own designs and answers {total, hits}", async () => {
    const all = await get('/users/BRAM_PRINTS/search/?per_page=100');
    expect(all.body.total).toBeGreaterThan(0);
    expect((all.body.hits as Hit[]).every((h) => h.creator.name === 'bram_prints')).toBe(true);
    const word = (all.body.hits as Hit[])[0]!.name.split(' ')[0]!;
    const some = await get(`/users/bram_prints/search/${encodeURIComponent(word)}`);
    expect(some.body.total).toBeGreaterThan(0);
    expect(some.body.total).toBeLessThanOrEqual(all.body.total);
    expect((await get('/users/bram_prints/search/zzqqxx')).body).toEqual({ total: 0, hits: null });
    expect((await get('/users/nobody_here/search/box')).status).toBe(404);
  });
});

describe('GET /newest and /featured (deprecated, bare arrays)', () => {
  it('/newest lists everything newest first, paged like /popular', async () => {
    const page = (await get('/newest?per_page=20')).body as Hit[];
    expect(Array.isArray(page)).toBe(true);
    expect(ids(page)).toEqual(ids(await hitsOf('/search?sort=newest&per_page=20')));
    expect((await get('/newest?page=2&per_page=10')).body.map((t: Hit) => t.id)).toEqual(ids(page.slice(10, 20)));
    expect((await get('/newest?page=0')).status).toBe(400);
  });

  it('/featured lists the featured things newest first, each with spotlight_images {large, small}', async () => {
    const items = (await get('/featured?per_page=100')).body as (Hit & { spotlight_images: Record<string, string> })[];
    expect(items.length).toBe((await get('/search?is_featured=1')).body.total);
    expect(items.every((t) => t.is_featured)).toBe(true);
    expect(items.every((t, i) => i === 0 || items[i - 1]!.created_at >= t.created_at)).toBe(true);
    expect(Object.keys(items[0]!.spotlight_images).sort()).toEqual(['large', 'small']);
    const img = await request(sb.app).get(new URL(items[0]!.spotlight_images['small']!).pathname);
    expect([img.status, img.headers['content-type']]).toEqual([200, 'image/svg+xml; charset=utf-8']);
  });
});
