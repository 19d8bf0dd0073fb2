// Sandbox contract: /users/{name}/likes pages in the order Thingiverse uses (most recent like first),
// likesids has every id, and heavyLikes: 10_000 gives the benchmark a user with 10,000 likes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, listen, type Listening } from '../src/sandbox/index.js';

const sb = createSandbox({ heavyLikes: 10_000, rateLimit: { limit: 10_000, windowMs: 60_000 } });
let server: Listening;
let ada: string;
let heavy: string;
const get = async (path: string, token: string) => {
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as unknown };
};
const ids = async (path: string, token: string) => ((await get(path, token)).body as { id: number }[]).map((t) => t.id);
const write = (method: 'POST' | 'DELETE', id: number, token: string) =>
  fetch(`${server.url}/things/${id}/likes`, { method, headers: { Authorization: `Bearer ${token}` } });

beforeAll(async () => {
  server = await listen(sb);
});
afterAll(() => server.close());
beforeEach(() => {
  sb.reset();
  ada = sb.issueToken('ada_maker');
  heavy = sb.issueToken('heavy_liker');
});

describe('/users/{name}/likes', () => {
  it('puts the most recent like first, on the list and in likesids', async () => {
    const popular = await ids('/popular?page=3&per_page=100', ada);
    const [a, b] = popular.filter((id) => !sb.likedIds('ada_maker').includes(id));
    await write('POST', a!, ada);
    await write('POST', b!, ada);
    expect((await ids('/users/me/likes?per_page=3', ada)).slice(0, 2)).toEqual([b, a]);
    expect(((await get('/users/ada_maker/likesids', ada)).body as number[]).slice(0, 2)).toEqual([b, a]);
    // Liking again does not move it: the like is not new.
    await write('POST', a!, ada);
    expect((await ids('/users/me/likes?per_page=2', ada))).toEqual([b, a]);
    await write('DELETE', b!, ada);
    expect((await ids('/users/me/likes?per_page=1', ada))).toEqual([a]);
  });

  it('pages with page/per_page, as likesids orders them', async () => {
    const all = (await get('/users/cleo_collects/likesids', ada)).body as number[];
    expect(all).toHaveLength(1200);
    const pages = [];
    for (let page = 1; page <= 12; page++) pages.push(...(await ids(`/users/cleo_collects/likes?page=${page}&per_page=100`, ada)));
    expect(pages).toEqual(all);
    expect(await ids('/users/cleo_collects/likes?page=40&per_page=30', ada)).toHaveLength(30);
    expect(await ids('/users/cleo_collects/likes?page=41&per_page=30', ada)).toEqual([]);
    expect((await get('/users/cleo_collects/likes?per_page=500', ada)).body).toHaveLength(100);
  });
});

describe('heavyLikes: 10_000 (the benchmark user)', () => {
  it('heavy_liker has 10,000 likes: 334 pages of 30, the last with 10, and likesids with all of them', async () => {
    const all = (await get('/users/heavy_liker/likesids', heavy)).body as number[];
    expect(all).toHaveLength(10_000);
    expect(new Set(all).size).toBe(10_000);
    expect((await get('/users/me', heavy)).body).toMatchObject({ name: 'heavy_liker', like_count: 10_000 });
    const last = await ids('/users/heavy_liker/likes?page=334&per_page=30', heavy);
    expect(last).toEqual(all.slice(9990));
    expect(await ids('/users/heavy_liker/likes?page=335&per_page=30', heavy)).toEqual([]);
    expect(await ids('/users/me/likes?page=50&per_page=100', heavy)).toEqual(all.slice(4900, 5000));
  });

  it('an archived thing past the seed answers by id, and a new like goes to the top of 10,000', async () => {
    const all = (await get('/users/heavy_liker/likesids', heavy)).body as number[];
    const archived = all[all.length - 1]!;
    expect((await get(`/things/${archived}`, heavy)).body).toMatchObject({ id: archived, is_liked: true });
    await write('DELETE', archived, heavy);
    await write('POST', archived, heavy);
    expect(await ids('/users/me/likes?per_page=1', heavy)).toEqual([archived]);
    expect(((await get('/users/me/likesids', heavy)).body as number[]).length).toBe(10_000);
  });
});
