// What a list page was asked for (GET / and GET /search), validated before anything is
// sent upstream, and the one way back to it: the pager, the like forms' returnTo and the
// bulk bar all build their links from the parsed query, never from the raw URL.
import { badRequest } from '../errors.js';
import { parsePage } from '../middleware/params.js';

export type ListSort = 'popular' | 'newest' | 'makes' | 'relevant';

export interface ListQuery {
  path: '/' | '/search';
  sort: ListSort;
  featured: boolean;
  /** The search term; '' on / and for a search page not yet given one. */
  q: string;
  page: number;
}

const HOME_SORTS: readonly ListSort[] = ['popular', 'newest', 'makes'];
const SEARCH_SORTS: readonly ListSort[] = ['relevant', 'popular', 'newest', 'makes'];
export const SORT_LABELS: Record<ListSort, string> = {
  relevant: 'Most relevant',
  popular: 'Most popular',
  newest: 'Newest',
  makes: 'Most makes',
};
export const MAX_QUERY = 100;

function one(raw: unknown, what: string): string | undefined {
  if (raw === undefined) return undefined;
  // A repeated key arrives as an array: ambiguous, so refused rather than guessed.
  if (typeof raw !== 'string') throw badRequest(`Give ${what} once.`);
  return raw;
}

export function parseListQuery(path: '/' | '/search', query: Record<string, unknown>): ListQuery {
  const sorts = path === '/' ? HOME_SORTS : SEARCH_SORTS;
  const rawSort = one(query.sort, 'the sort');
  if (rawSort !== undefined && !sorts.includes(rawSort as ListSort)) {
    throw badRequest(`Sort by one of: ${sorts.join(', ')}.`);
  }
  const rawFeatured = one(query.featured, 'featured');
  if (rawFeatured !== undefined && rawFeatured !== '1' && rawFeatured !== '0') {
    throw badRequest('featured must be 1 (featured things only) or left out.');
  }
  const rawQ = path === '/search' ? one(query.q, 'the search words') ?? '' : '';
  const q = rawQ.replace(/\s+/g, ' ').trim();
  if (/[\u0000-\u001f\u007f]/.test(q)) throw badRequest('The search words contain characters that cannot be searched for.');
  if (q.length > MAX_QUERY) throw badRequest(`Search for at most ${MAX_QUERY} characters.`);
  return {
    path,
    sort: (rawSort as ListSort | undefined) ?? sorts[0],
    featured: rawFeatured === '1',
    q,
    page: parsePage(query.page),
  };
}

/** The canonical URL of the list, at another page when given: defaults are left out. */
export function listHref(l: ListQuery, page = l.page): string {
  const params = new URLSearchParams();
  if (l.q) params.set('q', l.q);
  if (l.sort !== (l.path === '/' ? 'popular' : 'relevant')) params.set('sort', l.sort);
  if (l.featured) params.set('featured', '1');
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `${l.path}?${search}` : l.path;
}

export function sortsFor(path: ListQuery['path']): readonly ListSort[] {
  return path === '/' ? HOME_SORTS : SEARCH_SORTS;
}

export function listTitle(l: ListQuery): string {
  const kind = l.featured ? 'featured things' : 'things';
  if (l.path === '/search') return l.q ? `Search: ${l.q}` : 'Search';
  const first = { popular: 'Popular', newest: 'Newest', makes: 'Most made', relevant: 'Popular' }[l.sort];
  return `${first} ${kind}`;
}
