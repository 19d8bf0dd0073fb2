// GET /liked: the user's liked things from the local index (src/store/liked-index.ts), with
// search (q), sort and pages, the totals, and "updated … · refresh". A page view never waits
// for a full refresh: a stale index is refreshed in the background, and only the very first
// view (an empty index) waits for the first page of likes. The export and import pages of
// the same URL area are mounted from here (liked-export.ts, liked-import.ts).
import { Router } from 'express';
import type { Request } from 'express';
import type { BulkJobs } from '../jobs/registry.js';
import type { IndexRefresher } from '../likes/index-refresh.js';
import type { PendingImports } from '../store/pending-imports.js';
import type { IndexedThing, LikedSort } from '../store/liked-index.js';
import { ago, thousands } from '../likes/ago.js';
import { badRequest } from '../errors.js';
import { parsePage } from '../middleware/params.js';
import { requireLogin, loginOf } from '../middleware/require-login.js';
import { csrfToken, requireCsrfToken } from '../middleware/csrf.js';
import { PER_PAGE } from './things.js';
import { cardParts } from '../views/card-parts.js';
import { createLikedExportRouter } from './liked-export.js';
import { createLikedImportRouter } from './liked-import.js';

export interface LikedDeps {
  refresher: IndexRefresher;
  jobs: BulkJobs;
  pendingImports: PendingImports;
  now?: () => number;
}

const SORTS: Record<LikedSort, string> = { recent: 'Most recently liked', name: 'Name', likes: 'Most liked', creator: 'Creator' };

function parseSort(raw: unknown): LikedSort {
  if (raw === undefined || raw === '') return 'recent';
  if (typeof raw === 'string' && Object.hasOwn(SORTS, raw)) return raw as LikedSort;
  throw badRequest('Sort by recent, name, likes or creator.');
}

/** Words to search for: printable, at most 100 characters. */
function parseQuery(raw: unknown): string {
  if (raw === undefined) return '';
  if (typeof raw !== 'string') throw badRequest('Search for words in the name or the creator.');
  return raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 100);
}

/** A /liked address keeping q and sort (defaults left out). */
export function likedHref(q: string, sort: LikedSort, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (sort !== 'recent') params.set('sort', sort);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `/liked?${s}` : '/liked';
}

/** The card partial's shape, from an index row (a like made here may lack details until the next refresh). */
const card = (t: IndexedThing) => {
  const fields = { id: t.id, name: t.name ?? `Thing ${t.id}`, publicUrl: t.url, image: t.thumbnail, creator: t.creator ? { displayName: t.creator } : null };
  // Rows are new objects on every view: nothing to keep the parts by.
  return { ...fields, likeCount: t.likeCount ?? 0, parts: cardParts(fields) };
};

export function createLikedRouter(deps: LikedDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const { refresher } = deps;

  router.get('/liked', requireLogin, async (req: Request, res) => {
    const page = parsePage(req.query.page);
    const sort = parseSort(req.query.sort);
    const q = parseQuery(req.query.q);
    const { user, token } = loginOf(req);
    const run = refresher.refreshIfDue(user, token);
    // Only an index that was never filled waits, and only for the first page of likes.
    if (run && refresher.index.meta(user.id).refreshedAt === null && refresher.index.count(user.id) === 0) await refresher.passOn(run, 'firstPage');
    const result = refresher.index.query(user.id, { q, sort, page, perPage: PER_PAGE });
    const meta = refresher.index.meta(user.id);
    const things = result.items.map(card);
    const running = deps.jobs.running(user.id);
    res.set('Cache-Control', 'private, no-store');
    res.render('liked', {
      title: 'Liked things',
      things,
      page, q, sort, sorts: SORTS,
      total: thousands(result.total),
      totalCount: result.total,
      matching: thousands(result.matching),
      hasNext: page * PER_PAGE < result.matching,
      href: (p: number) => likedHref(q, sort, p),
      updated: meta.refreshedAt === null ? null : ago(meta.refreshedAt, now()),
      refreshing: refresher.isRefreshing(user.id),
      job: running ? `/bulk/${running.id}` : null,
      // Without JavaScript the page reloads itself while the first fill runs.
      refreshSeconds: meta.refreshedAt === null && refresher.isRefreshing(user.id) ? 3 : null,
      liked: new Set(things.map((t) => t.id)),
      // The like forms may return only to /liked or /liked?page=N (safeReturnTo's allowlist).
      returnTo: page > 1 ? `/liked?page=${page}` : '/liked',
      csrf: csrfToken(req),
    });
  });

  router.post('/liked/refresh', requireLogin, requireCsrfToken, (req, res) => {
    const { user, token } = loginOf(req);
    refresher.refresh(user, token);
    req.session.flash = { kind: 'ok', text: 'Updating your liked things from Thingiverse. Reload in a moment to see the result.' };
    res.redirect(303, '/liked');
  });

  router.use(createLikedExportRouter(deps));
  router.use(createLikedImportRouter(deps));
  return router;
}
