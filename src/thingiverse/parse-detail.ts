// The thing page's data: GET /things/{id} (the detail object, 2019 and current shapes) and
// GET /things/{id}/images (image objects with a `sizes` array). Nothing here is trusted:
// URLs must be http(s) images, the description HTML is kept raw for the view to sanitize.
import type { ImageSize, Tag, ThingDetail, ThingImage } from './types.js';
import { ShapeError, count, date, flag, imageUrl, isObj, positiveId, text } from './parse-util.js';
import type { Obj } from './parse-util.js';
import { parseThingSummary } from './parse-summary.js';

// Pixel sizes of the named renders, as the real resize URLs state them (fixtures/real/thing-detail.json);
// plain CDN render URLs carry no size, so these are the fallback.
const KNOWN_SIZES: Record<string, [number, number]> = {
  'preview:featured': [628, 472], 'preview:card': [292, 219], 'preview:large': [240, 180],
  'preview:medium': [200, 150], 'preview:small': [124, 93], 'preview:birdwing': [320, 200],
  'preview:tiny': [110, 80], 'preview:tinycard': [55, 40],
  'display:large': [1024, 1024], 'display:medium': [968, 250], 'display:small': [292, 122],
};

const MAX_TAGS = 50;
const MAX_IMAGES = 50;
const MAX_SIZES = 30;

function pixels(value: unknown): number | null {
  const n = count(value);
  return n !== null && n > 0 && n <= 20_000 ? n : null;
}

function parseSize(raw: unknown): ImageSize | null {
  if (!isObj(raw)) return null;
  const url = imageUrl(raw.url);
  const type = text(raw.type);
  const size = text(raw.size);
  if (url === null || type === null || size === null) return null;
  const query = new URL(url).searchParams;
  const known = KNOWN_SIZES[`${type}:${size}`];
  return {
    type,
    size,
    url,
    width: pixels(raw.width) ?? pixels(query.get('w')) ?? known?.[0] ?? null,
    height: pixels(raw.height) ?? pixels(query.get('h')) ?? known?.[1] ?? null,
  };
}

function parseImage(raw: unknown): ThingImage | null {
  if (!isObj(raw) || !Array.isArray(raw.sizes)) return null;
  const sizes = raw.sizes.slice(0, MAX_SIZES).map(parseSize).filter((s): s is ImageSize => s !== null);
  if (sizes.length === 0) return null;
  return { id: positiveId(raw.id), name: text(raw.name), sizes };
}

/** /things/{id}/images: an array of image objects; images without a usable size are dropped. */
export function parseThingImages(body: unknown): ThingImage[] {
  if (!Array.isArray(body)) throw new ShapeError('Expected an array of images.');
  return body.slice(0, MAX_IMAGES).map(parseImage).filter((i): i is ThingImage => i !== null);
}

function parseTags(raw: unknown): Tag[] {
  if (!Array.isArray(raw)) return [];
  const tags: Tag[] = [];
  for (const t of raw.slice(0, MAX_TAGS)) {
    // 2019's /things/{id}/tags sent only {name, url, count}: the name doubles as the slug.
    const name = isObj(t) ? text(t.name) : text(t);
    if (name !== null) tags.push({ name, tag: (isObj(t) ? text(t.tag) : null) ?? name });
  }
  return tags;
}

/** Card-size first, like the list: preview_image, default_image's preview/card, thumbnail, the original. */
function detailImage(raw: Obj): string | null {
  const fromList = imageUrl(raw.preview_image);
  if (fromList) return fromList;
  const image = isObj(raw.default_image) ? raw.default_image : null;
  const sizes = image && Array.isArray(image.sizes) ? image.sizes.filter(isObj) : [];
  const sized = (type: string, size: string) => imageUrl(sizes.find((s) => s.type === type && s.size === size)?.url);
  return sized('preview', 'card') ?? imageUrl(raw.thumbnail) ?? sized('thumb', 'large') ?? imageUrl(image?.url);
}

/** A detail body must be a thing: without an id and a name it is a ShapeError, not a skipped item. */
export function parseThingDetail(body: unknown): ThingDetail {
  const summary = parseThingSummary(body);
  if (summary === null || !isObj(body)) throw new ShapeError('Expected a thing with an id and a name.');
  const html = typeof body.description_html === 'string' ? body.description_html : null;
  return {
    ...summary,
    image: detailImage(body),
    isLiked: flag(body.is_liked),
    // Raw on purpose: the view sanitizes it (sanitize-html, a small allow-list).
    descriptionHtml: html !== null && html.trim() !== '' ? html : null,
    license: text(body.license),
    tags: parseTags(body.tags),
    added: date(body.added) ?? date(body.created_at),
    modified: date(body.modified),
    makeCount: count(body.make_count),
    collectCount: count(body.collect_count),
  };
}
