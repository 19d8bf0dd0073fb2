// The parsers against real captured Thingiverse responses (test/fixtures/real, copied from ../shared/fixtures/real), plus the
// shape drift the docs describe: {total, hits} wrappers, hits: null, booleans vs 0/1, junk items.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseThingDetail, parseThingList, parseThingSummary, parseUser } from '../src/thingiverse/parse.js';
import { ShapeError } from '../src/thingiverse/parse-util.js';

// A copy of ../shared/fixtures/real kept in the repo (test/fixtures/real/README.md says where
// they come from), so a clean clone runs these tests instead of skipping them.
const dir = path.join(import.meta.dirname, 'fixtures', 'real');

const load = (name: string): unknown => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));

describe('real GET /popular capture (popular-2021.json)', () => {
  const list = () => parseThingList(load('popular-2021.json'));

  it('parses all 30 items with real ids, trimmed names and no total (bare array)', () => {
    const { items, total } = list();
    expect(items).toHaveLength(30);
    expect(total).toBeNull();
    expect(items[0]).toMatchObject({
      id: 5024505,
      name: 'BattleFleet Star Wars: Rebels vs. the Empire',
      publicUrl: 'https://www.thingiverse.com/thing:5024505',
      likeCount: 3855,
      createdAt: '2021-10-18T20:22:34+00:00',
    });
    expect(items.map((t) => t.id).slice(0, 4)).toEqual([5024505, 5028292, 5021804, 5025071]);
    expect(items.every((t) => t.name === t.name.trim() && t.name.length > 0)).toBe(true);
    expect(items.find((t) => t.id === 5027753)?.name).toBe('Mushroom Lamp');
  });

  it('prefers preview_image (card) over thumbnail for the card image', () => {
    const first = list().items[0]!;
    expect(first.image).toBe('https://cdn.thingiverse.com/assets/2f/e4/ab/84/52/card_preview_DSC_4323_s.jpg');
    expect(list().items.every((t) => t.image?.includes('card_preview'))).toBe(true);
  });

  it('builds creator display names as "First Last", falling back to the username', () => {
    const byId = new Map(list().items.map((t) => [t.id, t.creator]));
    expect(byId.get(5024505)).toEqual({
      id: 243344,
      name: 'iamDarK',
      displayName: 'Daniela Kroehnert',
      publicUrl: 'https://www.thingiverse.com/iamDarK',
      thumbnail: 'https://cdn.thingiverse.com/renders/29/84/d6/18/6e/2a804400d271f62df8bd111abfe4e979_thumb_medium.JPG',
    });
    expect(byId.get(5027753)?.displayName).toBe('Frank'); // last_name ""
    expect(byId.get(5075401)?.displayName).toBe('electrosync'); // both names empty
  });

  it('keeps the real like counts', () => {
    const counts = new Map(list().items.map((t) => [t.id, t.likeCount]));
    expect(counts.get(5028292)).toBe(3107);
    expect(counts.get(5025071)).toBe(2863);
  });
});

describe('real GET /things/{id} capture (thing-detail.json)', () => {
  it('parses id, name, viewer state, creator, added date and a card-size image', () => {
    const thing = parseThingDetail(load('thing-detail.json'));
    expect(thing).toMatchObject({
      id: 2285753,
      name: 'Predator digit',
      isLiked: false,
      likeCount: 30,
      createdAt: '2017-05-01T00:12:14+00:00',
      publicUrl: 'https://www.thingiverse.com/thing:2285753',
      creator: { id: 1448466, name: 'ArtiomF', displayName: 'Artiom Fedorov' },
    });
    // default_image's preview/card size (w=292) wins over the 1024 px thumbnail.
    expect(thing.image).toMatch(/^https:\/\/resize\.thingiverse\.com\/\?url=.*&w=292&h=219/);
  });

  it('reads is_liked as a boolean or 0/1', () => {
    const raw = load('thing-detail.json') as Record<string, unknown>;
    expect(parseThingDetail({ ...raw, is_liked: true }).isLiked).toBe(true);
    expect(parseThingDetail({ ...raw, is_liked: 1 }).isLiked).toBe(true);
    expect(parseThingDetail({ ...raw, is_liked: 0 }).isLiked).toBe(false);
    expect(parseThingDetail({ ...raw, is_liked: null }).isLiked).toBe(false);
  });

  it('falls back to the thumbnail when default_image is missing', () => {
    const raw = load('thing-detail.json') as Record<string, unknown>;
    const thing = parseThingDetail({ ...raw, default_image: null });
    expect(thing.image).toBe(raw.thumbnail);
  });
});

describe('shape drift (synthetic)', () => {
  const item = (over: Record<string, unknown> = {}) => ({
    id: 7,
    name: 'Clip ',
    public_url: 'https://www.thingiverse.com/thing:7',
    thumbnail: 'https://cdn.example/thumb.jpg',
    like_count: 3,
    is_published: true,
    ...over,
  });

  it('reads the search wrapper {total, hits}', () => {
    expect(parseThingList({ total: 4312, hits: [item(), item({ id: 8 })] })).toMatchObject({
      total: 4312,
      items: [{ id: 7, name: 'Clip' }, { id: 8 }],
    });
  });

  it('treats hits: null as an empty page', () => {
    expect(parseThingList({ total: 0, hits: null })).toEqual({ items: [], total: 0 });
  });

  it('drops junk items instead of failing the page', () => {
    const junk = [null, 'x', 42, {}, item({ id: 0 }), item({ id: -3 }), item({ id: 1.5 }), item({ id: '9x' }), item({ name: '   ' }), item({ name: null })];
    const { items } = parseThingList([item(), ...junk, item({ id: '11' })]);
    expect(items.map((t) => t.id)).toEqual([7, 11]);
  });

  it('rejects a body that is not a list container at all', () => {
    for (const body of [{ error: 'x' }, 'text', null, { hits: 'nope' }, 5]) {
      expect(() => parseThingList(body)).toThrow(ShapeError);
    }
  });

  it('keeps only http(s) image URLs (P2) and falls back to the thumbnail', () => {
    expect(parseThingSummary(item({ preview_image: 'javascript:alert(1)' }))?.image).toBe('https://cdn.example/thumb.jpg');
    expect(parseThingSummary(item({ preview_image: 'data:image/png;base64,AAA', thumbnail: 'ftp://x/y.jpg' }))?.image).toBeNull();
    expect(parseThingSummary(item({ thumbnail: '/relative.jpg' }))?.image).toBeNull();
    expect(parseThingSummary(item({ creator: { id: 1, name: 'u', thumbnail: 'javascript:x', public_url: 'https://www.thingiverse.com/u' } }))?.creator).toEqual({
      id: 1,
      name: 'u',
      displayName: 'u',
      thumbnail: null,
      publicUrl: 'https://www.thingiverse.com/u',
    });
  });

  it('fills defaults for missing optional fields', () => {
    expect(parseThingSummary({ id: 5, name: 'Bare' })).toEqual({
      id: 5,
      name: 'Bare',
      publicUrl: null,
      image: null,
      creator: null,
      // No like_count sent (the 2019-2020 list shape): none, not "0 likes".
      likeCount: null,
      createdAt: null,
    });
  });

  it('parses users with display-name fallback and rejects a user without an id', () => {
    expect(parseUser({ id: 4455661, name: 'quietmaker', first_name: 'Ada', last_name: 'Quill', like_count: 148 })).toMatchObject({
      displayName: 'Ada Quill',
      likeCount: 148,
    });
    expect(parseUser({ id: 1, name: 'solo ' })).toMatchObject({ name: 'solo', displayName: 'solo', likeCount: null });
    expect(() => parseUser({ name: 'x' })).toThrow(ShapeError);
    expect(() => parseUser([])).toThrow(ShapeError);
  });
});
