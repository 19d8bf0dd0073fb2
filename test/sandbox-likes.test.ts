// Sandbox contract: like/unlike and how it shows everywhere, reset(), plus the offline images and pages.
import { beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createSandbox } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const sb = createSandbox();
const app = sb.app;
let ada = '';
let bram = '';
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const likeCount = async (id: number) => (await request(app).get(`/things/${id}`).set(bearer(ada))).body.like_count as number;
const bramThing = async () => {
  const bramId = sb.users().find((u) => u.name === 'bram_prints')!.id;
  const items = (await request(app).get('/popular?per_page=100&page=16').set(bearer(ada))).body as { id: number; creator: { id: number } }[];
  const all = [...items, ...(await request(app).get('/search/?per_page=100&sort=newest').set(bearer(ada))).body.hits];
  return all.find((t) => t.creator.id === bramId)!.id as number;
};
// A thing nobody in the sandbox likes yet: low in the popularity order, not liked by ada.
const freshThing = async () => {
  const items = (await request(app).get('/popular?per_page=100&page=15').set(bearer(ada))).body as { id: number }[];
  const liked = new Set(sb.likedIds('ada_maker'));
  return items.find((t) => !liked.has(t.id))!.id;
};

beforeEach(() => {
  sb.reset();
  ada = sb.issueToken('ada_maker');
  bram = sb.issueToken('bram_prints');
});

describe('POST and DELETE /things/:id/likes', () => {
  it('like: 200 {"ok":"ok"}, like_count +1, and is_liked/likes/likesids reflect it at once', async () => {
    const id = await freshThing();
    const before = await likeCount(id);
    const res = await request(app).post(`/things/${id}/likes`).set(bearer(ada));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: 'ok' });
    expect(await likeCount(id)).toBe(before + 1);
    expect((await request(app).get(`/things/${id}`).set(bearer(ada))).body.is_liked).toBe(true);
    expect((await request(app).get(`/things/${id}`).set(bearer(bram))).body.is_liked).toBe(false);
    expect((await request(app).get(`/things/${id}`).set(bearer(SANDBOX_CLIENT.appToken))).body.is_liked).toBe(false);
    expect((await request(app).get('/users/me/likesids').set(bearer(ada))).body[0]).toBe(id);
    expect((await request(app).get('/users/ada_maker/likes').set(bearer(bram))).body[0].id).toBe(id);
    expect((await request(app).get(`/things/${id}/likes`).set(bearer(bram))).body.map((u: { name: string }) => u.name)).toEqual(['ada_maker']);
    expect(sb.likedIds('ada_maker')).toHaveLength(13);
  });

  it('unlike: like_count -1 and the thing leaves the lists', async () => {
    const id = sb.likedIds('ada_maker')[3]!;
    const before = await likeCount(id);
    const res = await request(app).delete(`/things/${id}/likes`).query({ access_token: ada });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: 'ok' });
    expect(await likeCount(id)).toBe(before - 1);
    expect((await request(app).get('/users/me/likesids').set(bearer(ada))).body).not.toContain(id);
    expect((await request(app).get(`/things/${id}`).set(bearer(ada))).body.is_liked).toBe(false);
  });

  it('is idempotent: a second like or unlike answers 200 and changes nothing', async () => {
    const id = await freshThing();
    const before = await likeCount(id);
    await request(app).post(`/things/${id}/likes`).set(bearer(ada)).expect(200);
    await request(app).post(`/things/${id}/likes`).set(bearer(ada)).expect(200);
    expect(await likeCount(id)).toBe(before + 1);
    expect(sb.likedIds('ada_maker').filter((x) => x === id)).toHaveLength(1);
    const older = sb.likedIds('ada_maker')[1]!;
    await request(app).post(`/things/${older}/likes`).set(bearer(ada)).expect(200);
    expect(sb.likedIds('ada_maker').slice(0, 2)).toEqual([id, older]); // a repeated like keeps its place
    await request(app).delete(`/things/${id}/likes`).set(bearer(ada)).expect(200);
    await request(app).delete(`/things/${id}/likes`).set(bearer(ada)).expect(200);
    expect(await likeCount(id)).toBe(before);
  });

  it('refuses liking or unliking your own thing with 400', async () => {
    const id = await bramThing();
    for (const method of ['post', 'delete'] as const) {
      const res = await request(app)[method](`/things/${id}/likes`).set(bearer(bram));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'You cannot like your own thing' });
    }
    await request(app).post(`/things/${id}/likes`).set(bearer(ada)).expect(200);
  });

  it('answers 404 for an unknown thing, 400 for a junk id, 401 without a user', async () => {
    const missing = await request(app).post('/things/99/likes').set(bearer(ada));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Thing 99 does not exist' });
    expect((await request(app).delete('/things/x1/likes').set(bearer(ada))).status).toBe(400);
    expect((await request(app).post('/things/99/likes')).body.type).toBe('NO_TOKEN_PROVIDED');
  });
});

describe('reset()', () => {
  it('restores likes and forgets issued tokens but keeps the App Token', async () => {
    const seedIds = sb.likedIds('ada_maker');
    const id = await freshThing();
    await request(app).post(`/things/${id}/likes`).set(bearer(ada)).expect(200);
    await request(app).delete(`/things/${seedIds[0]}/likes`).set(bearer(ada)).expect(200);
    sb.reset();
    expect(sb.likedIds('ada_maker')).toEqual(seedIds);
    expect((await request(app).get('/users/me').set(bearer(ada))).status).toBe(401);
    expect((await request(app).get('/popular?per_page=1').set(bearer(SANDBOX_CLIENT.appToken))).status).toBe(200);
    expect(sb.requests().map((r) => r.url)).toEqual(['/users/me', '/popular?per_page=1']); // log restarted
  });

  it('demo users have the documented like counts', () => {
    expect(sb.users().map((u) => [u.name, u.likeCount])).toEqual([
      ['ada_maker', 12], ['bram_prints', 5], ['cleo_collects', 1200], ['dara_new', 0],
    ]);
    expect(sb.users().find((u) => u.name === 'bram_prints')!.thingCount).toBeGreaterThan(0);
    expect(() => sb.likedIds('nobody')).toThrow(/No sandbox user/);
    expect(() => sb.issueToken('nobody')).toThrow(/No sandbox user/);
  });
});

describe('images and public pages (offline links)', () => {
  it('serves thing SVGs with escaped text and a day of caching; 404 for unknown ids', async () => {
    const res = await request(app).get('/img/things/1399462.svg?type=thumb&size=medium');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    const svg = res.body instanceof Buffer ? res.body.toString('utf8') : res.text;
    expect(svg).toContain('aria-label="Clip &#60;v2&#62; &#38; &#34;Pro&#34;"');
    expect(svg).not.toContain('<v2>');
    expect((await request(app).get('/img/things/1.svg')).status).toBe(404);
    expect((await request(app).get('/img/users/ada_maker.svg')).status).toBe(200);
    expect((await request(app).get('/img/users/nobody.svg')).status).toBe(404);
    expect(sb.requests()).toEqual([]); // images are not API calls
  });

  it('serves /thing:<id> and /u/<name> as HTML with the name escaped', async () => {
    const page = await request(app).get('/thing:2578447');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Spool &amp; Guide &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>');
    expect(page.text).toMatch(/<strong>\d+<\/strong> likes/);
    const user = await request(app).get('/u/BRAM_prints');
    expect(user.status).toBe(200);
    expect(user.text).toContain('(bram_prints)');
    expect((await request(app).get('/thing:1')).status).toBe(404);
  });
});
