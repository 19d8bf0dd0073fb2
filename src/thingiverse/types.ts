// The app's own view of Thingiverse data: small, normalised shapes that the parsers in
// parse.ts produce from whatever the API returns (bare arrays or {total, hits}, 0/1 or
// boolean flags, missing fields). Views and routes only ever see these types.

export interface Creator {
  id: number;
  /** The username (canonical case). */
  name: string;
  /** "First Last" when known, else the username. */
  displayName: string;
  publicUrl: string | null;
  thumbnail: string | null;
}

export interface ThingSummary {
  id: number;
  /** Trimmed; Thingiverse names can carry trailing spaces. */
  name: string;
  publicUrl: string | null;
  /** Best card-size image: preview_image, else thumbnail; null when neither is an http(s) URL. */
  image: string | null;
  creator: Creator | null;
  likeCount: number;
  createdAt: string | null;
}

export interface ThingDetail extends ThingSummary {
  /** Viewer state for the token's user; false for an App Token. */
  isLiked: boolean;
}

export interface User {
  id: number;
  name: string;
  displayName: string;
  publicUrl: string | null;
  thumbnail: string | null;
  likeCount: number | null;
}

export interface TokenInfo {
  /** The client id the token was issued to (tokeninfo may send it as a number). */
  audience: string;
  userId: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  /** Known only when the API says so (search's `total`); null for bare arrays. */
  total: number | null;
}

export type UpstreamErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'bad_response';

export interface ClientOptions {
  /** API origin, e.g. https://api.thingiverse.com or the sandbox's http://127.0.0.1:3001 */
  apiUrl: string;
  /** Website origin for /login/oauth/*, e.g. https://www.thingiverse.com or the sandbox. */
  authUrl: string;
  clientId: string;
  clientSecret?: string;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Retries for idempotent requests (GET, DELETE); POST is never retried. Default 2. */
  retryLimit?: number;
  /** Longest Retry-After the client will wait inside one call before giving up with rate_limited. Default 5 000. */
  maxRetryAfterMs?: number;
  userAgent?: string;
}

export interface PageQuery {
  page?: number;
  perPage?: number;
}

export interface ThingiverseClient {
  /** GET /popular (bare array). */
  popular(token: string, query?: PageQuery): Promise<Page<ThingSummary>>;
  /** GET /things/{id} */
  thing(token: string, id: number): Promise<ThingDetail>;
  /** POST /things/{id}/likes: never retried. */
  like(token: string, id: number): Promise<void>;
  /** DELETE /things/{id}/likes: idempotent, may retry. */
  unlike(token: string, id: number): Promise<void>;
  /** GET /users/{username}/likes, newest first. */
  likedThings(token: string, username: string, query?: PageQuery): Promise<Page<ThingSummary>>;
  /** GET /users/{username}/likesids */
  likedIds(token: string, username: string): Promise<number[]>;
  /** GET /users/me */
  me(token: string): Promise<User>;
  /** POST /login/oauth/tokeninfo */
  tokenInfo(token: string): Promise<TokenInfo>;
  /** POST /login/oauth/access_token (code flow; needs clientSecret). Returns the access token. */
  exchangeCode(code: string, redirectUri: string): Promise<string>;
}
