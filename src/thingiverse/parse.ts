// From unknown JSON to the app's types (types.ts). One bad item must not take down a page,
// so list items without a usable id or name are dropped; a body that is not the expected
// container at all is a ShapeError (the client reports it as bad_response).
import type { Creator, ThingDetail, ThingSummary, User } from './types.js';
import { ShapeError, count, date, flag, httpUrl, isObj, positiveId, text } from './parse-util.js';
import type { Obj } from './parse-util.js';

export { parseIds, parseTokenInfo, parseTokenResponse } from './parse-auth.js';
export type { TokenResponse } from './parse-auth.js';
export { ShapeError } from './parse-util.js';

/** "First Last" when either part is known, else the username (what the site shows). */
function displayName(raw: Obj, username: string): string {
  const full = [text(raw.first_name), text(raw.last_name)].filter((part) => part !== null).join(' ');
  return full || text(raw.full_name) || username;
}

/** A creator that cannot be identified becomes null; the thing itself is still shown. */
export function parseCreator(raw: unknown): Creator | null {
  if (!isObj(raw)) return null;
  const id = positiveId(raw.id);
  const name = text(raw.name);
  if (id === null || name === null) return null;
  return {
    id,
    name,
    displayName: displayName(raw, name),
    publicUrl: httpUrl(raw.public_url),
    thumbnail: httpUrl(raw.thumbnail),
  };
}

/** Returns null for an item the page should skip (no positive integer id, no name). */
export function parseThingSummary(raw: unknown): ThingSummary | null {
  if (!isObj(raw)) return null;
  const id = positiveId(raw.id);
  const name = text(raw.name);
  if (id === null || name === null) return null;
  return {
    id,
    name,
    publicUrl: httpUrl(raw.public_url),
    // preview_image is the card-size render; thumbnail is the fallback (older items lack preview_image).
    image: httpUrl(raw.preview_image) ?? httpUrl(raw.thumbnail),
    creator: parseCreator(raw.creator),
    likeCount: count(raw.like_count) ?? 0,
    // List items say created_at; the detail object says added.
    createdAt: date(raw.created_at) ?? date(raw.added),
  };
}

export interface ThingList {
  items: ThingSummary[];
  /** search's `total`; null for the bare arrays of /popular and /users/{u}/likes. */
  total: number | null;
}

/** Accepts a bare array (/popular, likes) or the search wrapper {total, hits}; `hits: null` means empty. */
export function parseThingList(body: unknown): ThingList {
  let rawItems: unknown[];
  let total: number | null = null;
  if (Array.isArray(body)) {
    rawItems = body;
  } else if (isObj(body) && (Array.isArray(body.hits) || body.hits === null)) {
    rawItems = body.hits ?? [];
    total = count(body.total);
  } else {
    throw new ShapeError('Expected a list of things.');
  }
  const items: ThingSummary[] = [];
  for (const raw of rawItems) {
    const item = parseThingSummary(raw);
    if (item !== null) items.push(item);
  }
  return { items, total };
}

/** Card-size first, like the list: preview_image, default_image's preview/card, thumbnail, the original. */
function detailImage(raw: Obj): string | null {
  const fromList = httpUrl(raw.preview_image);
  if (fromList) return fromList;
  const image = isObj(raw.default_image) ? raw.default_image : null;
  const sizes = image && Array.isArray(image.sizes) ? image.sizes.filter(isObj) : [];
  const sized = (type: string, size: string) =>
    httpUrl(sizes.find((s) => s.type === type && s.size === size)?.url);
  return sized('preview', 'card') ?? httpUrl(raw.thumbnail) ?? sized('thumb', 'large') ?? httpUrl(image?.url);
}

/** A detail body must be a thing: without an id and a name it is a ShapeError, not a skipped item. */
export function parseThingDetail(body: unknown): ThingDetail {
  const summary = parseThingSummary(body);
  if (summary === null || !isObj(body)) throw new ShapeError('Expected a thing with an id and a name.');
  return { ...summary, image: detailImage(body), isLiked: flag(body.is_liked) };
}

export function parseUser(body: unknown): User {
  if (!isObj(body)) throw new ShapeError('Expected a user object.');
  const id = positiveId(body.id);
  const name = text(body.name);
  if (id === null || name === null) throw new ShapeError('Expected a user with an id and a name.');
  return {
    id,
    name,
    displayName: displayName(body, name),
    publicUrl: httpUrl(body.public_url),
    thumbnail: httpUrl(body.thumbnail),
    likeCount: count(body.like_count),
  };
}
