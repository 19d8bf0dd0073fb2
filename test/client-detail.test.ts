// The thing page's data (issue 10): the detail fields from the real capture and the 2019
// shape, and GET /things/{id}/images with the real `sizes` array, where only http(s) image
// URLs survive (a `.stl` "thumbnail" or a javascript: URL is dropped).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseThingDetail, parseThingImages, parseThingSummary } from '../src/thingiverse/parse.js';
import { createThingiverseClient } from '../src/thingiverse/client.js';
import { createSandbox, listen } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { json, startStub } from './helpers/client-stub.js';
import type { Stub } from './helpers/client-stub.js';

// A copy of ../shared/fixtures/real kept in the repo (test/fixtures/real/README.md says where
// they come from), so a clean clone runs these tests instead of skipping them.
const dir = path.join(import.meta.dirname, 'fixtures', 'real');
const real = () => JSON.parse(readFileSync(path.join(dir, 'thing-detail.json'), 'utf8')) as Record<string, unknown>;

describe('the real detail capture (thing-detail.json)', () => {
  it('reads description HTML raw, license, tags, dates, counts, creator and viewer state', () => {
    const t = parseThingDetail(real());
    expect(t).toMatchObject({
      id: 2285753,
      name: 'Predator digit',
      descriptionHtml: expect.stringMatching(/^<div><p>Predator LCD Number Layer\.<\/p>/),
      license: 'Creative Commons - Attribution',
      tags: [{ name: 'predator', tag: 'predator' }],
      added: '2017-05-01T00:12:14+00:00',
      modified: '2017-05-01T00:12:14+00:00',
      likeCount: 30,
      makeCount: 0,
      collectCount: 32,
      isLiked: false,
      creator: { id: 1448466, name: 'ArtiomF', displayName: 'Artiom Fedorov' },
    });
    expect(t.image).toMatch(/^https:\/\/resize\.thingiverse\.com\/.*w=292&h=219/);
  });

  it("reads the capture's default_image sizes as an images answer, with pixel sizes from the resize URLs", () => {
    const [image] = parseThingImages([real().default_image]);
    expect(image!.id).toBe(5932922);
    expect(image!.sizes).toHaveLength(15);
    expect(image!.sizes.find((s) => s.type === 'display' && s.size === 'large')).toMatchObject({ width: 1024, height: 1024 });
    expect(image!.sizes.find((s) => s.type === 'preview' && s.size === 'card')).toMatchObject({ width: 292, height: 219 });
    // The thumb sizes are plain CDN URLs without a size: unknown, not guessed.
    expect(image!.sizes.find((s) => s.type === 'thumb' && s.size === 'large')).toMatchObject({ width: null, height: null });
  });
});

describe('older and newer shapes', () => {
  it('the 2019 detail shape: boolean flags, no like_count (null, not 0), tags without slugs', () => {
    const t = parseThingDetail({
      id: 9, name: 'Old ', is_published: true, is_liked: 1, tags: [{ name: 'gear', url: 'x', count: 3 }],
      added: '2019-02-01T10:00:00-05:00', description_html: '  ', license: '',
    });
    expect(t).toMatchObject({ name: 'Old', likeCount: null, isLiked: true, tags: [{ name: 'gear', tag: 'gear' }], added: '2019-02-01T10:00:00-05:00' });
    expect(t).toMatchObject({ descriptionHtml: null, license: null, makeCount: null, collectCount: null, modified: null });
  });

  it('a list item whose thumbnail is an .stl file gets no image (the page shows the placeholder)', () => {
    expect(parseThingSummary({ id: 1, name: 'x', thumbnail: 'https://cdn.thingiverse.com/a/b_thumb_medium.stl' })!.image).toBeNull();
    expect(parseThingSummary({ id: 1, name: 'x', preview_image: 'https://resize.thingiverse.com/?url=https://cdn/x.STL&w=1' })!.image).toBeNull();
    expect(parseThingSummary({ id: 1, name: 'x', thumbnail: 'https://cdn.thingiverse.com/a/b.jpg' })!.image).toBe('https://cdn.thingiverse.com/a/b.jpg');
  });
});

describe('GET /things/{id}/images', () => {
  let api: Stub;
  beforeAll(async () => {
    api = await startStub();
  });
  afterAll(() => api.close());
  beforeEach(() => api.reset());

  it('asks /things/{id}/images and keeps only http(s) image sizes', async () => {
    api.handler = (_q, res) => json(res, 200, [
      { id: 1, name: 'photo.jpg', sizes: [
        { type: 'display', size: 'large', url: 'https://cdn.thingiverse.com/x_display_large.jpg' },
        { type: 'preview', size: 'card', url: 'javascript:alert(1)' },
        { type: 'thumb', size: 'medium', url: 'https://cdn.thingiverse.com/x_thumb_medium.stl' },
        { type: 'display', size: 'medium', url: 'https://cdn/x.png', width: 640, height: 480 },
        { size: 'tiny', url: 'https://cdn/x.png' },
      ] },
      { id: 2, name: 'model.stl', sizes: [{ type: 'thumb', size: 'large', url: 'https://cdn/model.stl' }] },
      { id: 3, name: 'no sizes' },
      'junk',
    ]);
    const client = createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c' });
    const images = await client.thingImages('SENTINELtoken0123456789abcdef00', 2285753);
    expect(api.requests[0]!.url).toBe('/things/2285753/images');
    expect(images).toEqual([{ id: 1, name: 'photo.jpg', sizes: [
      { type: 'display', size: 'large', url: 'https://cdn.thingiverse.com/x_display_large.jpg', width: 1024, height: 1024 },
      { type: 'display', size: 'medium', url: 'https://cdn/x.png', width: 640, height: 480 },
    ] }]);
  });

  it('refuses a bad id before any request, and a body that is not an array as bad_response', async () => {
    const client = createThingiverseClient({ apiUrl: api.url, authUrl: api.url, clientId: 'c' });
    await expect(client.thingImages('SENTINELtoken0123456789abcdef00', -1)).rejects.toThrow(TypeError);
    expect(api.requests).toHaveLength(0);
    api.handler = (_q, res) => json(res, 200, { images: [] });
    await expect(client.thingImages('SENTINELtoken0123456789abcdef00', 5)).rejects.toMatchObject({ kind: 'bad_response', op: 'thingImages' });
  });
});

describe('against the sandbox', () => {
  it('detail fields, images, .stl thumbnails and both list shapes', async () => {
    const sandbox = createSandbox();
    const server = await listen(sandbox, { port: 0 });
    const app = SANDBOX_CLIENT.appToken;
    try {
      const c = createThingiverseClient({ apiUrl: server.url, authUrl: server.url, clientId: SANDBOX_CLIENT.clientId });
      const top = await c.popular(app, { perPage: 30 });
      const detail = await c.thing(app, top.items[0]!.id);
      expect(detail).toMatchObject({ likeCount: top.items[0]!.likeCount, isLiked: false, descriptionHtml: expect.any(String) });
      expect(detail.tags.length).toBeGreaterThan(0);
      expect(detail.added).not.toBeNull();
      const images = await c.thingImages(app, detail.id);
      expect(images.length).toBeGreaterThan(0);
      for (const s of images.flatMap((i) => i.sizes)) expect(s.url).toMatch(/^https?:\/\//);
      // The seed gives the 11th most popular thing an .stl thumbnail: no card image for it.
      expect(top.items.some((t) => t.image === null)).toBe(true);
      expect(top.items.every((t) => t.image === null || !/\.stl(\?|$)/i.test(t.image))).toBe(true);
      // The 2019-2020 list shape: no like_count, so no count at all (not 0).
      sandbox.setListShape('legacy');
      const old = await c.popular(app, { perPage: 5 });
      expect(old.items).toHaveLength(5);
      expect(old.items.every((t) => t.likeCount === null)).toBe(true);
      const featured = await c.list(app, { featured: true, perPage: 5 });
      expect(featured.items.length).toBeGreaterThan(0);
      const makes = await c.list(app, { sort: 'makes', perPage: 5 });
      expect(makes.items).toHaveLength(5);
    } finally {
      await server.close();
    }
  });
});
