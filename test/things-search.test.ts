// Search, sorts and featured through the app against the sandbox's /search, and what the
// thing page does with the sandbox's hostile descriptions, .stl thumbnails, images and tags.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const ids = (html: string) => [...html.matchAll(/<article class="card" id="thing-(\d+)"/g)].map((m) => Number(m[1]));
const upstream = (path: string) => supertest(stack.sandboxUrl).get(path).set('Authorization', `Bearer ${SANDBOX_CLIENT.appToken}`);
const searchCalls = (mark: number) => stack.sandbox.requests().slice(mark).filter((r) => r.url.startsWith('/search'));

describe('search and sorts', () => {
  it('GET /search?q= lists what /search finds, with the total, and every link keeps the words', async () => {
    const mark = stack.sandbox.requests().length;
    const res = await supertest(stack.url).get('/search?q=coaster').expect(200);
    expect(searchCalls(mark)).toHaveLength(1);
    const truth = await upstream('/search/coaster?per_page=30&sort=relevant').expect(200);
    expect(ids(res.text)).toEqual((truth.body.hits as { id: number }[]).map((t) => t.id));
    expect(res.text).toMatch(/<h1>Search results for “coaster”<\/h1>/);
    expect(res.text).toContain(`· ${truth.body.total.toLocaleString('en')} thing`);
    expect(res.text).toMatch(/href="\/search\?q=coaster&amp;sort=newest">Newest<\/a>/);
    expect(res.text).toMatch(/value="coaster">/); // the box shows what was searched
  });

  it.each([
    ['/?sort=newest', 'sort=newest'],
    ['/?sort=makes', 'sort=makes'],
    ['/?featured=1', 'is_featured=1'],
    ['/search?q=clip&sort=popular', 'sort=popular'],
  ])('%s asks /search for %s, and the pager keeps it', async (path, param) => {
    const mark = stack.sandbox.requests().length;
    const res = await supertest(stack.url).get(path).expect(200);
    expect(searchCalls(mark)[0]?.url).toContain(param);
    const next = /rel="next" href="([^"]+)"/.exec(res.text)?.[1]?.replace(/&amp;/g, '&');
    if (next) expect(new URL(next, stack.url).searchParams.toString()).toContain(param.replace('is_featured', 'featured'));
  });

  it('a like from a sorted search returns to it, on the card', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const page = await supertest(stack.url).get('/search?q=clip&sort=newest').set('Cookie', cookie).expect(200);
    const id = ids(page.text).find((i) => page.text.includes(`action="/things/${i}/like"`))!;
    expect(page.text).toContain('name="returnTo" value="/search?q=clip&amp;sort=newest"');
    const res = await supertest(stack.url).post(`/things/${id}/like`).set('Cookie', cookie).type('form')
      .send({ _csrf: csrfFrom(page.text), returnTo: '/search?q=clip&sort=newest' }).expect(303);
    expect(res.headers.location).toBe(`/search?q=clip&sort=newest#thing-${id}`);
  });

  it('a search with no results says so, and lists nothing', async () => {
    const res = await supertest(stack.url).get('/search?q=zzqqxxnothing').expect(200);
    expect(ids(res.text)).toHaveLength(0);
    expect(res.text).toMatch(/Nothing on Thingiverse matches “zzqqxxnothing”/);
  });
});

describe('what Thingiverse sends, shown safely', () => {
  it('hostile descriptions: nothing active reaches the page, the CSP stays strict, the text is kept', async () => {
    const popular = (await upstream('/popular?per_page=10').expect(200)).body as { id: number }[];
    let seen = 0;
    for (const { id } of popular) {
      const detail = (await upstream(`/things/${id}`).expect(200)).body as { description_html: string };
      if (!/<script|onerror|javascript:|<iframe|<style|<svg|<form/i.test(detail.description_html)) continue;
      seen += 1;
      const res = await supertest(stack.url).get(`/things/${id}`).expect(200);
      const description = /<div class="description">([\s\S]*?)<\/div>\n/.exec(res.text)?.[1] ?? '';
      expect(description.length).toBeGreaterThan(0);
      expect(description).not.toMatch(/<(script|style|iframe|object|embed|svg|math|form|input|meta|base|link)\b|\son\w+=|javascript:|data:|style=|evil\.example|tracker\.example/i);
      for (const a of description.match(/<a [^>]*>/g) ?? []) expect(a).toMatch(/^<a href="https?:\/\/[^"]+" rel="noopener noreferrer nofollow">$/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    }
    expect(seen).toBeGreaterThanOrEqual(2);
  });

  it('.stl "thumbnails" get the placeholder on cards and on the thing page', async () => {
    const list = (await upstream('/popular?per_page=30').expect(200)).body as { id: number; thumbnail: string; preview_image?: string }[];
    const stl = list.find((t) => /\.stl/i.test(`${t.preview_image ?? ''} ${t.thumbnail}`));
    if (!stl) throw new Error('the sandbox seeds an .stl thumbnail on the first popular page');
    const home = await supertest(stack.url).get('/').expect(200);
    const card = home.text.slice(home.text.indexOf(`id="thing-${stl.id}"`)).split('</article>')[0];
    expect(card).toMatch(/<span class="noimg"><\/span>/);
    expect(home.text).not.toMatch(/<img src="[^"]+\.stl/);
    const page = await supertest(stack.url).get(`/things/${stl.id}`).expect(200);
    expect(page.text).not.toMatch(/<img src="[^"]+\.stl/);
  });

  it('the thing page shows the images list (largest size), license, tags linked to a search, and make/collect counts', async () => {
    const popular = (await upstream('/popular?per_page=3').expect(200)).body as { id: number }[];
    const id = popular[2].id;
    const images = (await upstream(`/things/${id}/images`).expect(200)).body as unknown[];
    const res = await supertest(stack.url).get(`/things/${id}`).expect(200);
    const pictures = res.text.match(/<div class="pictures">[\s\S]*?<\/div>/)?.[0] ?? '';
    expect((pictures.match(/<img /g) ?? []).length).toBe(Math.min(images.length, 12));
    // The largest size that fits the column (display/large), never a thumbnail.
    for (const src of pictures.match(/src="[^"]+"/g) ?? []) expect(src).toMatch(/type=display&amp;size=large/);
    // The first picture loads at once, the others when scrolled to.
    expect(pictures.match(/loading="(eager|lazy)"/g)).toEqual(images.slice(0, 12).map((_, i) => (i === 0 ? 'loading="eager"' : 'loading="lazy"')));
    expect(res.text).toMatch(/<dt>License<\/dt><dd>[^<]+<\/dd>/);
    expect(res.text).toMatch(/<dt>Makes<\/dt>/);
    expect(res.text).toMatch(/<dt>Collected<\/dt>/);
    expect(res.text).toMatch(/<ul class="tags">\s*<li><a href="\/search\?q=[^"]+">/);
  });

  it('the 2019-2020 list shape (no like_count): cards show no count, never "0 likes"', async () => {
    stack.sandbox.setListShape('legacy');
    try {
      const res = await supertest(stack.url).get('/?sort=newest&page=7').expect(200);
      expect(ids(res.text).length).toBeGreaterThan(0);
      expect(res.text).not.toMatch(/data-like-count|\b0 likes/);
    } finally {
      stack.sandbox.setListShape('current');
    }
    const current = await supertest(stack.url).get('/?sort=newest&page=8').expect(200);
    expect(current.text).toMatch(/data-like-count/);
  });
});
