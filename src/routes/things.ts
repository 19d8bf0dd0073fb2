// GET / (popular things) and the like/unlike actions behind each card's form.
import { NOT_SAVED_HERE } from '../services/likes.js';
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config.js';
import type { Page, ThingSummary, ThingiverseClient } from '../thingiverse/types.js';
import type { LikesService } from '../services/likes.js';
import type { TtlCache } from '../services/ttl-cache.js';
import { displayText, parsePage, parseThingId, safeReturnTo } from '../http/params.js';
import { isLoggedIn, requireLogin, wantsJson } from '../middleware/require-login.js';
import { requireCsrfToken, csrfToken } from '../middleware/csrf.js';

export const PER_PAGE = 30;

export interface ThingsDeps {
  client: ThingiverseClient;
  likes: LikesService;
  popularCache: TtlCache<Page<ThingSummary>>;
}

export function createThingsRouter(config: Config, deps: ThingsDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const page = parsePage(req.query.page);
    const loggedIn = isLoggedIn(req);
    const token = loggedIn ? req.session.token! : config.thingiverse.appToken;
    res.set('Cache-Control', 'private, no-store');
    if (!token) return res.render('popular', { title: 'Popular things', things: null, page, hasNext: false, liked: new Set() });
    // Popular lists are the same for everyone, so one cached copy serves all users; a failed
    // shared load is retried with this viewer's own token (the owner), never handed over.
    // The like-state read (when stale) does not depend on the list: run both at once, so a
    // cold view waits for one upstream round trip, not two.
    const [popular] = await Promise.all([
      deps.popularCache.get(`${page}:${PER_PAGE}`, () => deps.client.popular(token, { page, perPage: PER_PAGE }), deps.client.keyFor(token)),
      loggedIn ? deps.likes.ensureFresh(req.session.user!, token) : undefined,
    ]);
    const liked = loggedIn
      ? await deps.likes.likedAmong(req.session.user!, token, popular.items.map((t) => t.id))
      : new Set<number>();
    res.render('popular', {
      title: 'Popular things',
      things: popular.items,
      page,
      hasNext: popular.items.length >= PER_PAGE,
      liked,
      returnTo: page > 1 ? `/?page=${page}` : '/',
      csrf: loggedIn ? csrfToken(req) : null,
    });
  });

  const likeAction = (liked: boolean) => async (req: Request, res: Response) => {
    const id = parseThingId(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    res.locals.backTo = returnTo;
    const outcome = await deps.likes.setLiked(req.session.user!, req.session.token!, id, liked);
    if (wantsJson(req)) {
      return res.json({ id, liked: outcome.liked, reconciled: outcome.reconciled, savedHere: outcome.savedHere, ...(outcome.savedHere ? {} : { message: NOT_SAVED_HERE }) });
    }
    const name = displayText(body.name) ?? `thing ${id}`;
    const done = outcome.liked ? `Liked “${name}”.` : `Removed your like from “${name}”.`;
    const note = outcome.reconciled ? ' (Thingiverse was slow to answer, so we checked.)' : '';
    req.session.flash = { kind: 'ok', text: `${done}${note}${outcome.savedHere ? '' : ` ${NOT_SAVED_HERE}`}` };
    res.redirect(303, returnTo + (returnTo.includes('#') ? '' : `#thing-${id}`));
  };

  router.post('/things/:id/like', requireLogin, requireCsrfToken, likeAction(true));
  router.post('/things/:id/unlike', requireLogin, requireCsrfToken, likeAction(false));

  return router;
}
