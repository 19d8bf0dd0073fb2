// What every API route checks first: the token, a user behind it, paging, and the thing or user
// named in the path. Each guard answers the error itself and returns undefined, so routes stay short.
import type { NextFunction, Request, Response } from 'express';
import { apiToken, originOf, positiveInt, sendError } from './http.js';
import type { Ctx } from './shapes.js';
import type { SeedThing, SeedUser } from './seed.js';
import type { SandboxState, TokenInfo } from './state.js';

const MAX_PER_PAGE = 100; // Choice: the real maximum is unknown; larger values are clamped, not refused.

export interface Paging { page: number; perPage: number }

export function createGuards(state: SandboxState) {
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
  function paging(req: Request, res: Response): Paging | undefined {
    const page = positiveInt(req.query['page']) ?? 1;
    const perPage = positiveInt(req.query['per_page']) ?? 30;
    if (Number.isNaN(page) || Number.isNaN(perPage)) return void sendError(res, 400, 'Bad Request');
    return { page, perPage: Math.min(perPage, MAX_PER_PAGE) };
  }

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

  return { ctx, auth, requireToken, requireUser, paging, findThing, findUser };
}

export type Guards = ReturnType<typeof createGuards>;

/** One page of a list; slicing first keeps a 10,000-like history as cheap as a short one. */
export const pageOf = <T>(items: readonly T[], p: Paging): T[] => items.slice((p.page - 1) * p.perPage, p.page * p.perPage);
