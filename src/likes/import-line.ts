// One entry of an import file to a thing id, or the reason it was refused. An entry is an id
// ("123"), "thing:123", or a Thingiverse thing address (http(s), with or without www, with a
// tail such as /files, ?query or #fragment). Ids follow the app's own rule (ids.ts), so
// nothing reaches Thingiverse that a URL typed by hand could not.
import { isValidThingId } from '../thingiverse/ids.js';

export type LineResult = { id: number } | { reason: string };

const THING_HOSTS = new Set(['thingiverse.com', 'www.thingiverse.com']);
const THING_PATH = /^\/thing:([0-9]+)(?:\/.*)?$/;
/** Longer than any address or id we accept: refused without being looked at further. */
export const MAX_LINE_CHARS = 2048;

/** A short, printable name for a host in a refusal (never the whole line: it is shown on a page). */
function hostLabel(host: string): string {
  return host.replace(/[^A-Za-z0-9.-]/g, '').slice(0, 60) || 'another site';
}

function idFrom(digits: string): LineResult {
  const id = isValidThingId(digits);
  return id === null ? { reason: 'Not a valid thing id (digits only, no leading zero, at most 12 digits).' } : { id };
}

/** A cell neutralised by a spreadsheet-safe export ('=…) reads as what follows the quote. */
export function unneutralise(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

export function parseEntry(raw: string): LineResult {
  if (raw.length > MAX_LINE_CHARS) return { reason: `Longer than ${MAX_LINE_CHARS} characters.` };
  const text = unneutralise(raw.trim());
  if (/^[0-9]+$/.test(text)) return idFrom(text);
  const bare = /^thing:([0-9]+)$/i.exec(text);
  if (bare) return idFrom(bare[1]!);
  if (!/^https?:\/\//i.test(text)) {
    return { reason: 'Not a thing id or a Thingiverse thing address (like https://www.thingiverse.com/thing:123).' };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { reason: 'Not a valid web address.' };
  }
  if (!THING_HOSTS.has(url.hostname) || url.port !== '' || url.username !== '' || url.password !== '') {
    return { reason: `Not a Thingiverse address (${hostLabel(url.hostname)}).` };
  }
  const m = THING_PATH.exec(url.pathname);
  if (!m) return { reason: 'A Thingiverse address, but not of a thing (expected /thing:123).' };
  return idFrom(m[1]!);
}
