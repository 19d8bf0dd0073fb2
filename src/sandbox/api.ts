// The REST API (api.thingiverse.com): lists, search, thing detail, like/unlike, users and their likes.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { apiToken, originOf, positiveInt, sendError, str } from './http.js';
import { creatorSummary, listItem, thingDetail, userProfile, type Ctx } from './shapes.js';
import type { SeedThing, SeedUser } from './seed.js';
import type { SandboxState, TokenInfo } from './state.js';
import { searchThings } from './search.js';

const MAX_PER_PAGE = 100; // Choice: the real maximum is unknown; larger values are clamped, not refused.

export function createApiRouter(state: SandboxState): Router {
  const router = Router();
  const ctx = (req: Request): Ctx => ({ origin: originOf(req), state });
  const auth = (res: Response): TokenInfo => res.locals['auth'] as TokenInfo;

  // Every API call needs a token; an App Token is enough for reads.
  function requireToken(req: Request, res: Response, next: NextFunction): void {
    const token = apiToken(req);
    if (token === undefined) {
      res.set('WWW-Authenticate', 'Bearer V1');
      return sendError(res, 401, 'Unauthorized access. No authentication was provided.', { code: 401, type: 'NO_TOKEN_PROVIDED' });
    }
    const info = state.tokens.get(token);
    if (!info) return sendError(res, 401, 'Unauthorized');
    res.locals['auth'] = info;
    next();
  }
  // Choice: writes and `me` need a user; an App Token has none, so it gets the same 401 as a bad token.
  function requireUser(_req: Request, res: Response, next: NextFunction): void {
    if (auth(res).userId === null) return sendError(res, 401, 'Unauthorized');
    next();
  }

  /** page/per_page, or undefined after answering 400. */
  function paging(req: Request, res: Response): { page: number; perPage: number } | undefined {
    const page = positiveInt(req.query['page']) ?? 1;
    const perPage = positiveInt(req.query['per_page']) ?? 30;
    if (Number.isNaN(page) || Number.isNaN(perPage)) return void sendError(res, 400, 'Bad Request');
    return { page, perPage: Math.min(perPage, MAX_PER_PAGE) };
  }
  const slice = <T>(items: readonly T[], p: { page: number; perPage: number }) =>
    items.slice((p.page - 1) * p.perPage, p.page * p.perPage);

  function findThing(req: Request, res: Response): SeedThing | undefined {
    const id = String(req.params['id']);
    // Choice: a non-numeric id is a 400 Bad Request, not a 404.
    if (!/^\d{1,15}$/.test(id)) return void sendError(res, 400, 'Bad Request');
    const thing = state.things.get(Number(id));
    if (!thing) sendError(res, 404, `Thing ${id} does not exist`);
    return thing;
  }
  function findUser(req: Request, res: Response): SeedUser | undefined {
    const name = String(req.params['name']);
    if (name === 'me') {
      const id = auth(res).userId;
      if (id === null) return void sendError(res, 401, 'Unauthorized');
      return state.usersById.get(id);
    }
    const user = state.userByName(name); // case-insensitive; the canonical spelling is returned
    if (!user) sendError(res, 404, 'Not Found');
    return user;
  }

  router.get('/popular', requireToken, (req, res) => {
    const p = paging(req, res);
    if (p) res.json(slice(state.byPopularity(), p).map((t) => listItem(ctx(req), t)));
  });

  router.get('/search{/:term}', requireToken, (req, res) => {
    const p = paging(req, res);
    if (!p) return;
    const result = searchThings(state, str(req.params['term']) ?? '', req.query);
    if (typeof result === 'string') return sendError(res, 400, result);
    // Choice: no results give {"total":0,"hits":[]}, not the `hits: null` some old responses had.
    // Like Elasticsearch, `total` stops counting at 10,000 (the seed never gets there).
    res.json({ total: Math.min(result.length, 10_000), hits: slice(result, p).map((t) => listItem(ctx(req), t)) });
  });

  router.get('/things/:id', requireToken, (req, res) => {
    const thing = findThing(req, res);
    if (thing) res.json(thingDetail(ctx(req), thing, auth(res).userId));
  });

  router.get('/things/:id/likes', requireToken, (req, res) => {
    const thing = findThing(req, res);
    if (!thing) return;
    const users = [...(state.likers.get(thing.id) ?? [])].map((id) => state.usersById.get(id)!);
    res.json(users.map((u) => creatorSummary(ctx(req), u)));
  });

  for (const [method, liked] of [['post', true], ['delete', false]] as const) {
    router[method]('/things/:id/likes', requireToken, requireUser, (req, res) => {
      const thing = findThing(req, res);
      if (!thing) return;
      // Choice: the same 400 message for liking and for unliking your own thing.
      if (!state.setLike(auth(res).userId!, thing, liked)) return sendError(res, 400, 'You cannot like your own thing');
      res.json({ ok: 'ok' });
    });
  }

  router.get('/users/:name', requireToken, (req, res) => {
    const user = findUser(req, res);
    if (user) res.json(userProfile(ctx(req), user, user.id === auth(res).userId));
  });

  router.get('/users/:name/likes', requireToken, (req, res) => {
    const user = findUser(req, res);
    const p = user && paging(req, res);
    if (!user || !p) return;
    res.json(slice(state.likedIds(user.id), p).map((id) => listItem(ctx(req), state.things.get(id)!)));
  });

  router.get('/users/:name/likesids', requireToken, (req, res) => {
    const user = findUser(req, res);
    if (user) res.json(state.likedIds(user.id));
  });

  return router;
}
