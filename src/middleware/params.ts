// Validation of everything that comes from the browser before it is used (P1, E3, O6).
import { badRequest } from '../errors.js';

const MAX_PAGE = 1000;

/** ?page= : absent means 1; anything but a plain number from 1 to 1000 is refused. */
export function parsePage(raw: unknown): number {
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,3}$/.test(raw) || Number(raw) > MAX_PAGE) {
    throw badRequest(`The page number must be a whole number from 1 to ${MAX_PAGE}.`);
  }
  return Number(raw);
}

/** A thing id from the URL: ASCII digits only, no leading zero, at most 12 digits (P1). */
export function parseThingId(raw: unknown): number {
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,11}$/.test(raw)) {
    throw badRequest('That is not a valid Thingiverse thing id.');
  }
  return Number(raw);
}

// The pages a like/unlike may return to. An allowlist, not a "starts with /" test, so no
// encoding trick (//host, /\host, %2F%2F) can turn it into an off-site redirect (O6): a
// fixed path (a list, the search, a thing page), then only URL-encoded query characters
// (the list routes validate the query again when the browser gets there).
const RETURN_TO = /^\/(liked|search|things\/[1-9][0-9]{0,11})?(\?[A-Za-z0-9=&%+._~-]{1,400})?(#thing-[1-9][0-9]{0,11})?$/;

export function safeReturnTo(raw: unknown, fallback = '/'): string {
  return typeof raw === 'string' && RETURN_TO.test(raw) ? raw : fallback;
}

/** A short display name carried by the like form, for the confirmation message only. */
export function displayText(raw: unknown, max = 120): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return text ? text.slice(0, max) : null;
}
