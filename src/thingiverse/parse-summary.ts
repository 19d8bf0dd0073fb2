// The list item (and the part of the detail object it shares): id, name, images, creator,
// like count, date. One bad item must not take down a page, so these return null to skip it.
import type { Creator, ThingSummary } from './types.js';
import { count, date, httpUrl, imageUrl, isObj, positiveId, text } from './parse-util.js';
import type { Obj } from './parse-util.js';

/** "First Last" when either part is known, else the username (what the site shows). */
export function displayName(raw: Obj, username: string): string {
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
    image: imageUrl(raw.preview_image) ?? imageUrl(raw.thumbnail),
    creator: parseCreator(raw.creator),
    likeCount: count(raw.like_count),
    // List items say created_at; the detail object says added.
    createdAt: date(raw.created_at) ?? date(raw.added),
  };
}
