// The Thingiverse API client: typed methods, the token passed per call, one UpstreamError
// type for every failure. Ids and names are validated before any URL exists (P1), paths come
// from fixed templates, and the client never logs (the caller decides what is safe to log).
import { isUpstreamError } from './errors.js';
import { createAgents, createHttp, parseJsonBody, send } from './http.js';
import type { SendOptions } from './http.js';
import { assertCredential, assertPage, assertThingId, assertUsername } from './ids.js';
import { upstreamError } from './map-error.js';
import { parseIds, parseThingDetail, parseThingList, parseTokenInfo, parseTokenResponse, parseUser } from './parse.js';
import { ShapeError } from './parse-util.js';
import type { ClientOptions, Page, PageQuery, ThingSummary, ThingiverseClient } from './types.js';

export function createThingiverseClient(options: ClientOptions): ThingiverseClient {
  // One connection pool for both hosts (in sandbox mode they are the same origin).
  const agents = createAgents();
  const api = createHttp(options, 'api', agents);
  const auth = createHttp(options, 'auth', agents);

  /** Sends, then parses the JSON body; a parser's ShapeError becomes an UpstreamError for this operation. */
  async function call<T>(http: typeof api, opts: SendOptions, parse: (body: unknown) => T): Promise<T> {
    const answer = await send(http, opts);
    const json = parseJsonBody(answer.body);
    if (!json.ok) throw upstreamError('bad_response', opts, { status: answer.status });
    return convert(opts, answer.status, () => parse(json.value));
  }

  function convert<T>(opts: SendOptions, status: number, parse: () => T): T {
    try {
      return parse();
    } catch (err) {
      if (err instanceof ShapeError) throw upstreamError(err.kind, opts, { status });
      throw err;
    }
  }

  const read = (operation: string, path: string, token: string, searchParams?: Record<string, number>): SendOptions => ({
    method: 'GET',
    operation,
    write: false,
    path,
    token: assertCredential(token, 'Access token'),
    ...(searchParams ? { searchParams } : {}),
  });

  function page(query: PageQuery | undefined) {
    const { page, perPage } = assertPage(query?.page, query?.perPage);
    return { page, perPage, searchParams: { page, per_page: perPage } };
  }

  async function thingPage(operation: string, path: string, token: string, query?: PageQuery): Promise<Page<ThingSummary>> {
    const q = page(query);
    const list = await call(api, read(operation, path, token, q.searchParams), parseThingList);
    return { items: list.items, page: q.page, perPage: q.perPage, total: list.total };
  }

  async function likeWrite(method: 'POST' | 'DELETE', token: string, id: number): Promise<void> {
    // Validate everything before the request exists.
    const path = `things/${encodeURIComponent(assertThingId(id))}/likes`;
    const tokenOk = assertCredential(token, 'Access token');
    const opts: SendOptions = { method, operation: `${method} /things/:id/likes`, write: true, path, token: tokenOk };
    const answer = await send(api, opts);
    // The body's shape is undocumented ({"ok":"ok"} in the spec), so any JSON or nothing is
    // fine. A body cut off mid-way or an HTML page is not proof the write was stored: ambiguous.
    if (answer.body.trim() !== '' && !parseJsonBody(answer.body).ok) {
      throw upstreamError('bad_response', opts, { status: answer.status, ambiguous: true });
    }
  }

  return {
    // Methods are async so that a TypeError from validation arrives as a rejection, like every other failure.
    popular: async (token, query) => thingPage('GET /popular', 'popular', token, query),

    thing: async (token, id) =>
      call(api, read('GET /things/:id', `things/${encodeURIComponent(assertThingId(id))}`, token), parseThingDetail),

    like: async (token, id) => likeWrite('POST', token, id),
    unlike: async (token, id) => likeWrite('DELETE', token, id),

    likedThings: async (token, username, query) =>
      thingPage('GET /users/:name/likes', `users/${encodeURIComponent(assertUsername(username))}/likes`, token, query),

    likedIds: async (token, username) =>
      call(api, read('GET /users/:name/likesids', `users/${encodeURIComponent(assertUsername(username))}/likesids`, token), parseIds),

    me: async (token) => call(api, read('GET /users/me', 'users/me', token), parseUser),

    // The OAuth endpoint's contract: the token in a form body, never a URL (O8).
    tokenInfo: async (token) => {
      const form = { access_token: assertCredential(token, 'Access token') };
      const opts: SendOptions = { method: 'POST', operation: 'POST /login/oauth/tokeninfo', write: false, path: 'login/oauth/tokeninfo', form };
      try {
        return await call(auth, opts, parseTokenInfo);
      } catch (err) {
        // The status for a bad token is undocumented (200 + error, 400 and 401 all seen or plausible);
        // our request is fixed and simple, so a 400 here means the token, not the request.
        if (isUpstreamError(err) && err.kind === 'bad_request') throw upstreamError('unauthorized', opts, { status: err.status });
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
      const opts: SendOptions = { method: 'POST', operation: 'POST /login/oauth/access_token', write: false, path: 'login/oauth/access_token', form };
      const answer = await send(auth, opts);
      return convert(opts, answer.status, () => parseTokenResponse(answer.body).accessToken);
    },
  };
}
