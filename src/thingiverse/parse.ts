// From unknown JSON to the app's types (types.ts). One bad item must not take down a page,
// so list items without a usable id or name are dropped; a body that is not the expected
// container at all is a ShapeError (the client reports it as bad_response).
import type { ThingSummary, User } from './types.js';
import { ShapeError, count, httpUrl, isObj, positiveId, text } from './parse-util.js';
import { displayName, parseThingSummary } from './parse-summary.js';

export { parseIds, parseTokenInfo, parseTokenResponse } from './parse-auth.js';
export type { TokenResponse } from './parse-auth.js';
export { ShapeError } from './parse-util.js';
export { parseCreator, parseThingSummary } from './parse-summary.js';
export { parseThingDetail, parseThingImages } from './parse-detail.js';

export interface ThingList {
  items: ThingSummary[];
  /** search's `total`; null for the bare arrays of /popular and /users/{u}/likes. */
  total: number | null;
}

/**
 * Accepts a bare array (/popular, likes) or the search wrapper {total, hits}, where `hits`
 * may be null or missing (no results). Only the first `max` raw items are looked at: never
 * more than were asked for, whatever upstream sends (and no parsing time spent on the rest).
 */
export function parseThingList(body: unknown, max = Infinity): ThingList {
  let rawItems: unknown[];
  let total: number | null = null;
  if (Array.isArray(body)) {
    rawItems = body;
  } else if (isObj(body) && (Array.isArray(body.hits) || body.hits === null || (body.hits === undefined && count(body.total) !== null))) {
    rawItems = Array.isArray(body.hits) ? body.hits : [];
    total = count(body.total);
  } else {
    throw new ShapeError('Expected a list of things.');
  }
  const items: ThingSummary[] = [];
  for (const raw of rawItems.length > max ? rawItems.slice(0, max) : rawItems) {
    const item = parseThingSummary(raw);
    if (item !== null) items.push(item);
  }
  return { items, total };
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
