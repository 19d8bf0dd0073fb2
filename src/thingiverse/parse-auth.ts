// Parsers for the OAuth host's replies and the liked-ids list. The access_token endpoint's
// format is uncertain (form-encoded per most clients, JSON when asked for), so both are read.
import type { TokenInfo } from './types.js';
import { ShapeError, isObj, positiveId, text } from './parse-util.js';

// Same rule as ids.ts assertCredential: the token will go into a header later.
const TOKEN_CHARS = /^[\x21-\x7e]{1,1024}$/;

/** tokeninfo: {"audience": "<client id>" | number, "user_id": "<id>"}; {"error": ...} means the token is bad. */
export function parseTokenInfo(body: unknown): TokenInfo {
  if (!isObj(body)) throw new ShapeError('Expected a tokeninfo object.');
  if (body.error !== undefined && body.error !== null && body.error !== '') {
    throw new ShapeError('Thingiverse says the token is not valid.', 'unauthorized');
  }
  const audience =
    typeof body.audience === 'number' && Number.isFinite(body.audience) ? String(body.audience) : text(body.audience);
  if (audience === null) throw new ShapeError('tokeninfo has no audience.');
  const rawUser = body.user_id;
  // An App Token has no user; keep '' rather than failing, the caller decides.
  const userId = typeof rawUser === 'number' && Number.isSafeInteger(rawUser) ? String(rawUser) : (text(rawUser) ?? '');
  return { audience, userId };
}

export interface TokenResponse {
  accessToken: string;
  tokenType: string | null;
}

/** `access_token=..&token_type=..` or `{"access_token": ..., "token_type": ...}`; an `error` field is a refusal. */
export function parseTokenResponse(body: string): TokenResponse {
  const trimmed = typeof body === 'string' ? body.trim() : '';
  let fields: Record<string, unknown>;
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new ShapeError('The token reply is not valid JSON.');
    }
    if (!isObj(json)) throw new ShapeError('The token reply is not an object.');
    fields = json;
  } else if (/^[\w.~%+-]+=/.test(trimmed)) {
    fields = Object.fromEntries(new URLSearchParams(trimmed));
  } else {
    throw new ShapeError('The token reply is neither JSON nor form-encoded.');
  }
  if (text(fields.error) !== null) {
    // e.g. a bad or reused code answered with 200 and error=...: the request was refused.
    throw new ShapeError('Thingiverse refused the authorization code.', 'bad_request');
  }
  const accessToken = text(fields.access_token);
  if (accessToken === null || !TOKEN_CHARS.test(accessToken)) {
    throw new ShapeError('The token reply has no usable access_token.');
  }
  return { accessToken, tokenType: text(fields.token_type) };
}

/** /users/{u}/likesids: an array of ids. Bad entries are dropped and duplicates removed, order kept. */
export function parseIds(body: unknown): number[] {
  if (!Array.isArray(body)) throw new ShapeError('Expected an array of thing ids.');
  const seen = new Set<number>();
  for (const raw of body) {
    const id = positiveId(raw);
    if (id !== null) seen.add(id);
  }
  return [...seen];
}
