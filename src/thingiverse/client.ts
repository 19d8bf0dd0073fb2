// The Thingiverse API client: typed methods, the token passed per call, one UpstreamError
// type for every failure, every request counted by the rate limiter under the credential
// that makes it. Ids and names are validated before any URL exists (P1), paths come from
// fixed templates, and the client never logs (the caller decides what is safe to log).
import { isUpstreamError } from './errors.js';
import { MAX_BODY_BYTES, createAgents, createHttp, parseJsonBody, DEFAULT_USER_AGENT } from './http.js';
import { send, type SendOptions, type Transport } from './send.js';
import { assertCredential, assertPage, assertThingId, assertUsername } from './ids.js';
import { upstreamError } from './map-error.js';
import { RateLimiter, credentialKey } from './limiter.js';
import { REAL_CLOCK } from './clock.js';
import { createLister } from './list.js';
import type { Operation } from './operations.js';
import { parseIds, parseThingDetail, parseThingImages, parseThingList, parseTokenInfo, parseTokenResponse, parseUser } from './parse.js';
import { ShapeError } from './parse-util.js';
import type { CallOptions, ClientOptions, Page, PageQuery, ThingSummary, ThingiverseClient } from './types.js';

export function createThingiverseClient(options: ClientOptions): ThingiverseClient {
  // One connection pool for both hosts (in sandbox mode they are the same origin).
  const agents = createAgents();
  const ua = options.userAgent ?? DEFAULT_USER_AGENT;
  const api = createHttp(options.apiUrl, 'apiUrl', ua, agents);
  const auth = createHttp(options.authUrl, 'authUrl', ua, agents);
  const clock = options.clock ?? REAL_CLOCK;
  const limiter = options.limiter ?? new RateLimiter({ now: clock.now, sleep: clock.sleep });
  const deadlineMs = options.timeoutMs ?? 10_000;
  const transport = (retryLimit: number): Transport => ({
    limiter,
    deadlineMs,
    attemptTimeoutMs: Math.min(options.attemptTimeoutMs ?? deadlineMs, deadlineMs),
    retryLimit,
    retryDelayMs: options.retryDelayMs ?? 1000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 5_000,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    now: clock.now,
    sleep: clock.sleep,
  });
  const apiT = transport(options.retryLimit ?? 2);
  // The OAuth host only gets POSTs, which are never retried.
  const authT = transport(0);
  const keyFor = (token: string) => credentialKey(token, options.appToken);

  /** Sends, then parses the JSON body; a parser's ShapeError becomes an UpstreamError for this operation. */
  async function call<T>(opts: SendOptions, parse: (body: unknown) => T, host: 'api' | 'auth' = 'api'): Promise<T> {
    const answer = host === 'api' ? await send(api, apiT, opts) : await send(auth, authT, opts);
    const json = parseJsonBody(answer.body);
    if (!json.ok) throw upstreamError('bad_response', opts.op, { status: answer.status });
    return convert(opts.op, answer.status, () => parse(json.value));
  }

  function convert<T>(op: Operation, status: number, parse: () => T): T {
    try {
      return parse();
    } catch (err) {
      if (err instanceof ShapeError) throw upstreamError(err.kind, op, { status });
      throw err;
    }
  }

  function read(op: Operation, path: string, token: string, call?: CallOptions, searchParams?: Record<string, string | number>): SendOptions {
    const checked = assertCredential(token, 'Access token');
    return { op, method: 'GET', path, token: checked, key: keyFor(checked), ...(searchParams ? { searchParams } : {}), ...(call ? { call } : {}) };
  }

  async function thingPage(op: Operation, path: string, token: string, query?: PageQuery, callOpts?: CallOptions, extra?: Record<string, string | number>): Promise<Page<ThingSummary>> {
    const { page, perPage } = assertPage(query?.page, query?.perPage);
    const params = { ...extra, page, per_page: perPage };
    const list = await call(read(op, path, token, callOpts, params), (b) => parseThingList(b, perPage));
    return { items: list.items, page, perPage, total: list.total };
  }

  async function likeWrite(op: 'like' | 'unlike', token: string, id: number, callOpts?: CallOptions): Promise<void> {
    // Validate everything before the request exists.
    const opts = { ...read(op, `things/${encodeURIComponent(assertThingId(id))}/likes`, token, callOpts), method: op === 'like' ? ('POST' as const) : ('DELETE' as const) };
    const answer = await send(api, apiT, opts);
    // The body's shape is undocumented ({"ok":"ok"} in the spec), so any JSON or nothing is
    // fine. A body cut off mid-way or an HTML page is not proof the write was stored: ambiguous.
    if (answer.body.trim() !== '' && !parseJsonBody(answer.body).ok) {
      throw upstreamError('bad_response', op, { status: answer.status, ambiguous: true });
    }
  }

  const thingPath = (id: number, rest = '') => `things/${encodeURIComponent(assertThingId(id))}${rest}`;
  const userPath = (name: string, rest: string) => `users/${encodeURIComponent(assertUsername(name))}${rest}`;

  return {
    limiter,
    keyFor,
    // Methods are async so that a TypeError from validation arrives as a rejection, like every other failure.
    popular: async (token, query, c) => thingPage('popular', 'popular', token, query, c),
    list: createLister(thingPage, options.onListSource),
    thing: async (token, id, c) => call(read('thing', thingPath(id), token, c), parseThingDetail),
    thingImages: async (token, id, c) => call(read('thingImages', thingPath(id, '/images'), token, c), parseThingImages),
    like: async (token, id, c) => likeWrite('like', token, id, c),
    unlike: async (token, id, c) => likeWrite('unlike', token, id, c),
    likedThings: async (token, username, query, c) => thingPage('likedThings', userPath(username, '/likes'), token, query, c),
    likedIds: async (token, username, c) => call(read('likedIds', userPath(username, '/likesids'), token, c), parseIds),
    me: async (token) => call(read('me', 'users/me', token), parseUser),

    // The OAuth endpoint's contract: the token in a form body, never a URL (O8).
    tokenInfo: async (token) => {
      const checked = assertCredential(token, 'Access token');
      const opts: SendOptions = { op: 'tokenInfo', method: 'POST', path: 'login/oauth/tokeninfo', key: keyFor(checked), form: { access_token: checked } };
      try {
        return await call(opts, parseTokenInfo, 'auth');
      } catch (err) {
        // The status for a bad token is undocumented (200 + error, 400 and 401 all seen or plausible);
        // our request is fixed and simple, so a 400 here means the token, not the request.
        if (isUpstreamError(err) && err.kind === 'bad_request') throw upstreamError('unauthorized', 'tokenInfo', { status: err.status });
        throw err;
      }
    },

    exchangeCode: async (code, redirectUri) => {
      // A missing secret is a configuration mistake, not an upstream condition: plain Error (→ 500).
      if (!options.clientSecret) throw new Error('exchangeCode needs clientSecret (the code flow is not configured).');
      const form = {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        code: assertCredential(code, 'Authorization code'),
        grant_type: 'authorization_code',
        redirect_uri: redirectUri,
      };
      // No user token exists yet: the app's client id is the credential that pays for it.
      const opts: SendOptions = { op: 'exchangeCode', method: 'POST', path: 'login/oauth/access_token', key: `client:${options.clientId}`, form };
      const answer = await send(auth, authT, opts);
      return convert('exchangeCode', answer.status, () => parseTokenResponse(answer.body).accessToken);
    },
  };
}
