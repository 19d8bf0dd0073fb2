// Every list of things (GET / with ?sort= and &featured=1, GET /search?q=), the thing page
// (thing-page.ts) and the like/unlike actions behind each card's form. One router, one
// list template: the query is parsed once (list-query.ts) and every link is built from it.
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config.js';
import type { Page, ThingImage, ThingSummary, ThingiverseClient } from '../thingiverse/types.js';
import { isUpstreamError } from '../thingiverse/errors.js';
import { NOT_SAVED_HERE, type LikesService } from '../services/likes.js';
import type { TtlCache } from '../services/ttl-cache.js';
import { displayText, parseThingId, safeReturnTo } from '../middleware/params.js';
import { imageOrigins } from '../middleware/security-headers.js';
import { isLoggedIn, loginOf, requireLogin, wantsJson } from '../middleware/require-login.js';
import { requireCsrfToken, csrfToken } from '../middleware/csrf.js';
import { describeUpstream } from '../errors.js';
import { noteFailure } from '../middleware/request-log.js';
import { errorFields } from '../logger.js';
import { imageFilter } from '../views/images.js';
import { createSanitizer } from '../views/sanitize.js';
import { SORT_LABELS, listHref, listTitle, parseListQuery, sortsFor, type ListQuery } from './list-query.js';
import { pagerFor } from './pager.js';
import { toCards } from './cards.js';
import { LikeCounts } from './like-counts.js';
import { thingRef, createThingPage } from './thing-page.js';

export const PER_PAGE = 30;
const REFUSALS = new Set(['bad_request']);
const isPlainPopular = (l: ListQuery) => l.path === '/' && l.sort === 'popular' && !l.featured;

export interface ThingsDeps {
  client: ThingiverseClient;
  likes: LikesService;
  popularCache: TtlCache<Page<ThingSummary>>;
  thingImagesCache: TtlCache<ThingImage[]>;
  now?: () => number;
}

export function createThingsRouter(config: Config, deps: ThingsDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const images = imageFilter(imageOrigins(config));
  const siteOrigins = [new URL(config.thingiverse.authUrl).origin];
  // Cached lists may be up to popularCacheMs old: that long, confirmed likes are overlaid.
  const counts = new LikeCounts(Math.max(config.popularCacheMs, 1_000) * 2, now);
  // When each cached page was read from Thingiverse, for the overlay (the cache keeps identity).
  const readAt = new WeakMap<Page<ThingSummary>, number>();
  const viewer = (req: Request) => (isLoggedIn(req) ? loginOf(req) : null);

  async function fetchList(req: Request, list: ListQuery, token: string) {
    const v = viewer(req);
    const key = JSON.stringify([list.path, list.sort, list.featured, list.q, list.page, PER_PAGE]);
    // Lists are the same for everyone, so one cached copy serves all users (a failed shared
    // load is retried with each viewer's own token); the like-state read (when stale) does
    // not depend on the list, so both run at once.
    const [page] = await Promise.all([
      deps.popularCache.get(key, async () => {
        // The plain popular list is the client's popular() (which endpoint answers it is the
        // client's business); every other list and the search go through list().
        const p = isPlainPopular(list)
          ? await deps.client.popular(token, { page: list.page, perPage: PER_PAGE })
          : await deps.client.list(token, { sort: list.sort, featured: list.featured, q: list.q || undefined, page: list.page, perPage: PER_PAGE });
        readAt.set(p, now());
        return p;
      }, deps.client.keyFor(token)),
      v ? deps.likes.ensureFresh(v.user, token) : undefined,
    ]);
    const liked = v ? await deps.likes.likedAmong(v.user, token, page.items.map((t) => t.id)) : new Set<number>();
    return { page, liked };
  }

  const listPage = (path: ListQuery['path']) => async (req: Request, res: Response) => {
    const list = parseListQuery(path, req.query as Record<string, unknown>);
    // The box on every page also takes a thing id or a Thingiverse thing address.
    const ref = path === '/search' ? thingRef(list.q, siteOrigins) : null;
    if (ref !== null) return res.redirect(303, `/things/${ref}`);
    const v = viewer(req);
    const token = v ? v.token : config.thingiverse.appToken;
    res.set('Cache-Control', 'private, no-store');
    const locals = {
      title: listTitle(list), list, sorts: sortsFor(path), sortLabels: SORT_LABELS, href: (p: Partial<ListQuery>) => listHref({ ...list, page: 1, ...p }),
      returnTo: listHref(list), csrf: v ? csrfToken(req) : null, things: null, pager: null, liked: new Set<number>(),
    };
    // Nothing to ask (no token, or a search without words): no upstream call at all.
    if (!token || (path === '/search' && !list.q)) return res.render('list', { ...locals, needsLogin: !token });
    const { page, liked } = await fetchList(req, list, token);
    const cards = toCards(page.items, { images, viewerId: v?.user.id ?? null, counts, readAt: readAt.get(page) ?? now() });
    const flash = res.locals.flash as { thingId?: number } | null;
    res.render('list', {
      ...locals,
      needsLogin: false,
      things: cards,
      liked,
      flashAt: flash?.thingId !== undefined && cards.some((c) => c.id === flash.thingId) ? flash.thingId : null,
      pager: pagerFor({ page: list.page, perPage: PER_PAGE, count: cards.length, total: page.total, href: (n) => listHref(list, n) }),
    });
  };

  router.get('/', listPage('/'));
  router.get('/search', listPage('/search'));
  router.get('/things/:id', createThingPage(config, { ...deps, images, sanitize: createSanitizer(images), viewer }));

  const likeAction = (liked: boolean) => async (req: Request, res: Response) => {
    const id = parseThingId(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    res.locals.backTo = returnTo;
    const back = returnTo.split('#')[0] + `#thing-${id}`;
    const name = displayText(body.name) ?? `thing ${id}`;
    const { user, token } = loginOf(req);
    let outcome;
    try {
      outcome = await deps.likes.setLiked(user, token, id, liked);
    } catch (err) {
      // Your own thing is refused on the card that was clicked. Scripts get JSON; anything
      // else (gone, down, slow, rate limited, a dead login) gets the error page with its status.
      if (wantsJson(req) || !isUpstreamError(err) || !REFUSALS.has(err.kind)) throw err;
      noteFailure(res, errorFields(err));
      req.session.flash = { kind: 'error', text: describeUpstream(err, 'page', now()).message, thingId: id };
      return res.redirect(303, back);
    }
    counts.confirmed(user.id, id, outcome.liked);
    if (wantsJson(req)) {
      return res.json({ id, liked: outcome.liked, reconciled: outcome.reconciled, savedHere: outcome.savedHere, ...(outcome.savedHere ? {} : { message: NOT_SAVED_HERE }) });
    }
    const done = outcome.liked ? `Liked “${name}”.` : `Removed your like from “${name}”.`;
    const note = outcome.reconciled ? ' (Thingiverse was slow to answer, so we checked.)' : '';
    req.session.flash = { kind: 'ok', text: `${done}${note}${outcome.savedHere ? '' : ` ${NOT_SAVED_HERE}`}`, thingId: id };
    res.redirect(303, back);
  };

  router.post('/things/:id/like', requireLogin, requireCsrfToken, likeAction(true));
  router.post('/things/:id/unlike', requireLogin, requireCsrfToken, likeAction(false));

  return router;
}
