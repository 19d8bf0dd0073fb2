// The lists: the deprecated /popular, /newest and /featured (bare arrays), and the search endpoints
// that replace them ({total, hits}), with the empty-result quirks of the real API (API doc 3.2, 6.2).
import { Router, type Request, type Response } from 'express';
import { sendError, str } from './http.js';
import { featuredEntry, listEntry } from './list-shapes.js';
import { searchThings } from './search.js';
import { pageOf, type Guards } from './api-guards.js';
import type { SeedThing } from './seed.js';
import type { SandboxState } from './state.js';

const TOTAL_CAP = 10_000; // like Elasticsearch, `total` stops counting there (the seed never gets there)

export function createListRouter(state: SandboxState, g: Guards): Router {
  const router = Router();
  const bare = (list: () => readonly SeedThing[], entry = listEntry) => (req: Request, res: Response) => {
    const p = g.paging(req, res);
    if (p) res.json(pageOf(list(), p).map((t) => entry(g.ctx(req), t)));
  };
  router.get('/popular', g.requireToken, bare(() => state.byPopularity()));
  router.get('/newest', g.requireToken, bare(() => state.newest));
  router.get('/featured', g.requireToken, bare(() => state.featured, featuredEntry));

  function search(req: Request, res: Response, term: string, creatorId?: number): void {
    const p = g.paging(req, res);
    if (!p) return;
    const found = searchThings(state, { term, query: req.query, creatorId });
    if ('status' in found) return sendError(res, found.status, found.error);
    const { things, sort } = found;
    if (things.length === 0) {
      // Choice: nothing found for a term → 200 {"total":0,"hits":null} (the old `hits: null`); nothing
      // found without a term (only filters, e.g. liked_by a user with no likes) → 404, the real API's
      // "no results" as an error. A page past the end of a non-empty result is {"total":N,"hits":[]}.
      if (found.term) return void res.json({ total: 0, hits: null });
      return sendError(res, 404, 'Not Found');
    }
    const at = (p.page - 1) * p.perPage;
    // Choice: `rank` is the place in a popularity search; other sorts send null.
    const hits = pageOf(things, p).map((t, i) => listEntry(g.ctx(req), t, sort === 'popular' ? at + i + 1 : null));
    res.json({ total: Math.min(things.length, TOTAL_CAP), hits });
  }
  // Choice: the term comes from the path (/search/{term}, the documented form) or else from `q`.
  const termOf = (req: Request) => str(req.params['term']) ?? str(req.query['q']) ?? '';
  router.get('/search{/:term}', g.requireToken, (req, res) => search(req, res, termOf(req)));
  // Choice: "search data by user" = that user's own designs that match the term.
  router.get('/users/:name/search{/:term}', g.requireToken, (req, res) => {
    const user = g.findUser(req, res);
    if (user) search(req, res, termOf(req), user.id);
  });
  return router;
}
