// The pure parts of the list pages and the thing page: query parsing, the pager, the like
// count overlay, which image URLs may be shown, and the "open a thing" box.
import { describe, it, expect } from '@jest/globals';
import { listHref, parseListQuery } from '../src/routes/list-query.js';
import { pagerFor } from '../src/routes/pager.js';
import { LikeCounts } from '../src/routes/like-counts.js';
import { imageFilter } from '../src/views/images.js';
import { thingRef } from '../src/routes/thing-page.js';
import { HttpError } from '../src/errors.js';

const href = (p: number) => `/?page=${p}`;

describe('parseListQuery', () => {
  it('defaults: popular on /, relevant on /search; links leave defaults out', () => {
    const home = parseListQuery('/', {});
    expect(home).toEqual({ path: '/', sort: 'popular', featured: false, q: '', page: 1 });
    expect(listHref(home)).toBe('/');
    const s = parseListQuery('/search', { q: '  filament   clip ', sort: 'newest', featured: '1', page: '3' });
    expect(s).toEqual({ path: '/search', sort: 'newest', featured: true, q: 'filament clip', page: 3 });
    expect(listHref(s)).toBe('/search?q=filament+clip&sort=newest&featured=1&page=3');
    expect(listHref(s, 1)).toBe('/search?q=filament+clip&sort=newest&featured=1');
  });

  it.each([
    ['/', { sort: 'relevant' }, /Sort by one of/],
    ['/', { sort: 'POPULAR' }, /Sort by one of/],
    ['/search', { sort: 'text' }, /Sort by one of/],
    ['/', { sort: ['popular', 'newest'] }, /once/],
    ['/', { featured: 'yes' }, /featured/],
    ['/search', { q: 'x'.repeat(101) }, /at most 100/],
    ['/search', { q: 'a\u0000b' }, /cannot be searched/],
    ['/search', { q: ['a', 'b'] }, /once/],
    ['/', { page: '0' }, /page number/],
  ] as const)('%s %j is a 400 with a readable message', (path, query, message) => {
    let caught: unknown;
    try {
      parseListQuery(path, query as Record<string, unknown>);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HttpError);
    expect((caught as HttpError).status).toBe(400);
    expect((caught as HttpError).message).toMatch(message);
  });
});

describe('pagerFor', () => {
  it('with a total: "page 3 of 334", and no Next on the last page (1,200 at 30 = 40 pages, never 41)', () => {
    const mid = pagerFor({ page: 3, perPage: 30, count: 30, total: 10_012, href });
    expect(mid).toMatchObject({ page: 3, lastPage: 334, prevHref: '/?page=2', nextHref: '/?page=4', backHref: null });
    const last = pagerFor({ page: 40, perPage: 30, count: 30, total: 1_200, href });
    expect(last.lastPage).toBe(40);
    expect(last.nextHref).toBeNull();
  });

  it('without a total: a full page offers Next, a short one does not', () => {
    expect(pagerFor({ page: 1, perPage: 30, count: 30, total: null, href }).nextHref).toBe('/?page=2');
    expect(pagerFor({ page: 2, perPage: 30, count: 12, total: null, href }).nextHref).toBeNull();
  });

  it('an empty page past the end offers the way back, not Previous/Next', () => {
    const past = pagerFor({ page: 41, perPage: 30, count: 0, total: 1_200, href });
    expect(past).toMatchObject({ backHref: '/?page=40', backPage: 40, prevHref: null, nextHref: null });
    const farPast = pagerFor({ page: 90, perPage: 30, count: 0, total: 1_200, href });
    expect(farPast.backHref).toBe('/?page=40');
    expect(pagerFor({ page: 7, perPage: 30, count: 0, total: null, href }).backHref).toBe('/?page=6');
  });

  it("marks the search engine's 10,000 cap as \"at least\"", () => {
    expect(pagerFor({ page: 1, perPage: 30, count: 30, total: 10_000, href }).totalCapped).toBe(true);
    expect(pagerFor({ page: 1, perPage: 30, count: 30, total: 9_999, href }).totalCapped).toBe(false);
  });
});

describe('LikeCounts (counts confirmed after a cached read)', () => {
  it('adds only the changes a read missed; repeated and undone likes net out', () => {
    let t = 1_000;
    const counts = new LikeCounts(60_000, () => t);
    const readBefore = t - 1;
    t += 10;
    counts.confirmed(1, 42, true);
    expect(counts.adjust(100, 42, readBefore)).toBe(101);
    // A read taken after the like already has it.
    expect(counts.adjust(101, 42, t + 1)).toBe(101);
    counts.confirmed(1, 42, true); // liked again: no change
    expect(counts.adjust(100, 42, readBefore)).toBe(101);
    t += 10;
    counts.confirmed(2, 42, true);
    expect(counts.adjust(100, 42, readBefore)).toBe(102);
    t += 10;
    counts.confirmed(1, 42, false);
    expect(counts.adjust(100, 42, readBefore)).toBe(101);
    expect(counts.adjust(7, 43, readBefore)).toBe(7);
  });

  it('shows no count when Thingiverse sent none, and forgets old changes', () => {
    let t = 0;
    const counts = new LikeCounts(1_000, () => t);
    counts.confirmed(1, 5, true);
    expect(counts.adjust(null, 5, -1)).toBeNull();
    t = 5_000;
    counts.prune();
    expect(counts.delta(5, -1)).toBe(0);
  });
});

describe('imageFilter', () => {
  const ok = imageFilter(['https://cdn.thingiverse.com', 'https://resize.thingiverse.com']);
  it.each([
    ['https://cdn.thingiverse.com/renders/aa/x_preview_card.jpg', true],
    ['https://cdn.thingiverse.com/assets/aa/large_display_x.PNG', true],
    ['https://resize.thingiverse.com/?url=https://cdn.thingiverse.com/a/b.jpg&w=300', true],
    ['https://cdn.thingiverse.com/assets/aa/model.stl', false],
    ['https://resize.thingiverse.com/?url=https://cdn.thingiverse.com/a/b.STL&w=300', false],
    ['https://evil.example/x.jpg', false],
    ['http://cdn.thingiverse.com/x.jpg', false],
    ['javascript:alert(1)//.jpg', false],
    ['https://user:pw@cdn.thingiverse.com/x.jpg', false],
    ['https://cdn.thingiverse.com/no-extension', false],
    ['not a url', false],
  ])('%s → shown: %s', (url, shown) => {
    expect(ok(url) !== null).toBe(shown);
  });
});

describe('thingRef (the box that opens a thing)', () => {
  it.each([
    ['2285753', 2285753],
    ['thing:2285753', 2285753],
    ['https://www.thingiverse.com/thing:2285753', 2285753],
    ['https://www.thingiverse.com/thing:2285753/files', 2285753],
    ['www.thingiverse.com/thing:12', 12],
    ['http://127.0.0.1:9/thing:7', 7],
    ['https://evil.example/thing:7', null],
    ['filament clip', null],
    ['0', null],
    ['https://www.thingiverse.com/ada_maker/designs', null],
  ])('%s → %s', (raw, id) => {
    expect(thingRef(raw, ['http://127.0.0.1:9'])).toBe(id);
  });
});
