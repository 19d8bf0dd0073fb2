// The app's own view of Thingiverse data: small, normalised shapes that the parsers in
// parse.ts produce from whatever the API returns (bare arrays or {total, hits}, 0/1 or
// boolean flags, missing fields). Views and routes only ever see these types.
import type { RateLimiter } from './limiter.js';
import type { Clock } from './clock.js';

export type { Creator, ImageSize, Tag, ThingDetail, ThingImage, ThingSummary } from './thing-types.js';
import type { ThingDetail, ThingImage, ThingSummary } from './thing-types.js';

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
  /** The rate limiter for every request this client sends; share one per process (default: a new one, on `clock`). */
  limiter?: RateLimiter;
  /** Time for deadlines, Retry-After and retry waits (default real time); a passed limiter should share it. */
  clock?: Clock;
  /** The App Token, so its calls are counted under 'app' in the limiter. */
  appToken?: string;
  /** Told once per list kind which endpoint answered (/search or a deprecated fallback). */
  onListSource?: (kind: string, source: ListSource) => void;
  /** API origin, e.g. https://api.thingiverse.com or the sandbox's http://127.0.0.1:3001 */
  apiUrl: string;
  /** Website origin for /login/oauth/*, e.g. https://www.thingiverse.com or the sandbox. */
  authUrl: string;
  clientId: string;
  clientSecret?: string;
  /** The caller's whole wait for one call in ms, retries and backoff included (G1). Default 10 000. */
  timeoutMs?: number;
  /** One attempt's timeout; default (and at most) what is left of timeoutMs. */
  attemptTimeoutMs?: number;
  /** Largest body read from upstream; default MAX_BODY_BYTES (4 MiB). */
  maxBodyBytes?: number;
  /** Retries for idempotent requests (GET, DELETE); POST is never retried. Default 2. */
  retryLimit?: number;
  /** Wait before the first retry (then doubled, at most 2 s); default 1 000. Tests shorten it. */
  retryDelayMs?: number;
  /** Longest Retry-After the client will wait inside one call before giving up with rate_limited. Default 5 000. */
  maxRetryAfterMs?: number;
  userAgent?: string;
}

export interface PageQuery {
  page?: number;
  perPage?: number;
}

/** The lists of GET /search (and of the deprecated /popular, /newest, /featured behind it). */
export type ListSort = 'popular' | 'newest' | 'makes' | 'relevant';

export interface ListQuery extends PageQuery {
  /** Default: relevant with a query, popular without one. */
  sort?: ListSort;
  featured?: boolean;
  /** Search words; absent or blank lists everything. */
  q?: string;
}

/** Which endpoint answered a list: /search, or the deprecated list it fell back to. */
export type ListSource = 'search' | 'popular' | 'newest' | 'featured';

/** Per-call choices a caller may make; never an operation name. */
export interface CallOptions {
  /** Slots of the rate window this call must leave free (bulk jobs leave room for page views). */
  reserve?: number;
}

export interface ThingiverseClient {
  /** The limiter this client counts every request in (the bulk runner reads it). */
  readonly limiter: RateLimiter;
  /** The limiter key of a credential (a hash prefix, or 'app'). */
  keyFor(token: string): string;
  /** Popular things: GET /search?sort=popular, falling back to the deprecated /popular. */
  popular(token: string, query?: PageQuery, call?: CallOptions): Promise<Page<ThingSummary>>;
  /** Sorted lists and search through GET /search ({total, hits}); see ListQuery. */
  list(token: string, query?: ListQuery, call?: CallOptions): Promise<Page<ThingSummary>>;
  /** GET /things/{id} */
  thing(token: string, id: number, call?: CallOptions): Promise<ThingDetail>;
  /** GET /things/{id}/images */
  thingImages(token: string, id: number, call?: CallOptions): Promise<ThingImage[]>;
  /** POST /things/{id}/likes: never retried. */
  like(token: string, id: number, call?: CallOptions): Promise<void>;
  /** DELETE /things/{id}/likes: idempotent, may retry. */
  unlike(token: string, id: number, call?: CallOptions): Promise<void>;
  /** GET /users/{username}/likes, newest first. */
  likedThings(token: string, username: string, query?: PageQuery, call?: CallOptions): Promise<Page<ThingSummary>>;
  /** GET /users/{username}/likesids (bounded by MAX_BODY_BYTES: about 450,000 ids). */
  likedIds(token: string, username: string, call?: CallOptions): Promise<number[]>;
  /** GET /users/me */
  me(token: string): Promise<User>;
  /** POST /login/oauth/tokeninfo */
  tokenInfo(token: string): Promise<TokenInfo>;
  /** POST /login/oauth/access_token (code flow; needs clientSecret). Returns the access token. */
  exchangeCode(code: string, redirectUri: string): Promise<string>;
}
