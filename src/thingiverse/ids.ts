// Everything that ends up inside an upstream URL path is checked here first (P1).
// encodeURIComponent does not neutralise "..", so validation, not encoding, is the control.

const THING_ID_TEXT = /^[1-9][0-9]{0,11}$/;
const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
// Visible ASCII only: a token or code goes into a header or form body, never a URL, and
// CR/LF or spaces there would be header injection or a silent mangling.
const OPAQUE_CREDENTIAL = /^[\x21-\x7e]{1,1024}$/;

/** For route params: a thing id as typed in a URL ("123"), or null. ASCII digits only, no sign, no leading 0. */
export function isValidThingId(raw: string): number | null {
  if (typeof raw !== 'string' || !THING_ID_TEXT.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

export function assertThingId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new TypeError('Thing id must be a positive safe integer.');
  }
  return id;
}

/** `me` or a Thingiverse-style username; names made only of dots would turn into path segments like "..". */
export function assertUsername(name: string): string {
  if (typeof name !== 'string' || !USERNAME.test(name) || /^\.+$/.test(name)) {
    throw new TypeError('Username must be "me" or 1-64 letters, digits, "_", "." or "-".');
  }
  return name;
}

/** Tokens and codes are opaque; only their charset is checked. The message never echoes the value. */
export function assertCredential(value: string, what: string): string {
  if (typeof value !== 'string' || !OPAQUE_CREDENTIAL.test(value)) {
    throw new TypeError(`${what} must be 1-1024 visible ASCII characters.`);
  }
  return value;
}

const MAX_PAGE = 10_000;
const MAX_PER_PAGE = 100;

export function assertPage(page: number | undefined, perPage: number | undefined): { page: number; perPage: number } {
  const p = page ?? 1;
  const pp = perPage ?? 30;
  if (!Number.isSafeInteger(p) || p < 1 || p > MAX_PAGE) {
    throw new TypeError(`page must be an integer from 1 to ${MAX_PAGE}.`);
  }
  if (!Number.isSafeInteger(pp) || pp < 1 || pp > MAX_PER_PAGE) {
    throw new TypeError(`perPage must be an integer from 1 to ${MAX_PER_PAGE}.`);
  }
  return { page: p, perPage: pp };
}
