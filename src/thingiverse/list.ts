// Lists and search through GET /search, the endpoint Thingiverse's own spec names as the
// replacement of the deprecated /popular, /newest and /featured. Quirks handled here: `hits`
// null or missing (parse.ts), an empty search answered 400 or 404 (an empty page), and a
// /search that is gone (404/410 for a plain sorted list) answered from the deprecated list.
import { isUpstreamError } from './errors.js';
import type { Operation } from './operations.js';
import type { CallOptions, ListQuery, ListSort, ListSource, Page, PageQuery, ThingSummary } from './types.js';

type ThingPage = (
  op: Operation, path: string, token: string, query?: PageQuery, call?: CallOptions, extra?: Record<string, string | number>,
) => Promise<Page<ThingSummary>>;

const SORTS: readonly ListSort[] = ['popular', 'newest', 'makes', 'relevant'];
/** Once /search failed for a list, ask the deprecated one directly for this long, then look again. */
const FALLBACK_RECHECK_MS = 60 * 60_000;

/** Search words go into the path (/search/{term}): bounded, no control characters, never only dots. */
function searchTerm(q: string | undefined): string {
  const term = (q ?? '').trim().replace(/\s+/g, ' ');
  if (term.length > 200 || /[\u0000-\u001f\u007f]/.test(term) || /^\.+$/.test(term)) {
    throw new TypeError('Search words must be at most 200 characters, without control characters.');
  }
  return term;
}

/** The deprecated list that answers the same question as /search, when there is one. */
function deprecatedFor(sort: ListSort, featured: boolean, term: string): 'popular' | 'newest' | 'featured' | null {
  if (term !== '') return null; // the old lists cannot search
  if (featured) return 'featured';
  if (sort === 'newest') return 'newest';
  return sort === 'popular' || sort === 'relevant' ? 'popular' : null;
}

export function createLister(thingPage: ThingPage, onSource?: (kind: string, source: ListSource) => void) {
  const reported = new Map<string, ListSource>();
  const fallbackSince = new Map<string, number>();
  const report = (kind: string, source: ListSource) => {
    if (reported.get(kind) === source) return;
    reported.set(kind, source);
    onSource?.(kind, source);
  };

  return async (token: string, query: ListQuery = {}, call?: CallOptions): Promise<Page<ThingSummary>> => {
    const term = searchTerm(query.q);
    const sort = query.sort ?? (term ? 'relevant' : 'popular');
    if (!SORTS.includes(sort)) throw new TypeError(`sort must be one of ${SORTS.join(', ')}.`);
    const featured = query.featured === true;
    const old = deprecatedFor(sort, featured, term);
    const kind = term ? `search:${sort}` : `${featured ? 'featured:' : ''}${sort}`;
    const page = { page: query.page, perPage: query.perPage };
    const viaOld = () => thingPage(old!, old!, token, page, call).then((p) => (report(kind, old!), p));

    const since = fallbackSince.get(kind);
    if (old && since !== undefined && Date.now() - since < FALLBACK_RECHECK_MS) return viaOld();
    const path = term ? `search/${encodeURIComponent(term)}` : 'search';
    const extra = { type: 'things', sort, ...(featured ? { is_featured: 1 } : {}) };
    try {
      const result = await thingPage('search', path, token, page, call, extra);
      fallbackSince.delete(kind);
      report(kind, 'search');
      return result;
    } catch (err) {
      if (!isUpstreamError(err)) throw err;
      if (old && (err.status === 404 || err.status === 410)) {
        fallbackSince.set(kind, Date.now());
        return viaOld();
      }
      // "No results" has been answered as 400 or 404 instead of an empty list.
      if (err.status === 400 || err.status === 404) {
        const { page: p, perPage } = { page: query.page ?? 1, perPage: query.perPage ?? 30 };
        return { items: [], page: p, perPage, total: 0 };
      }
      throw err;
    }
  };
}
