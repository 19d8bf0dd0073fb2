// GET /search and /users/{name}/search/{term}: term matching, filters and sorts over the seed things
// (type=things only). The route turns the outcome into {total, hits} or the documented error quirks.
import { positiveInt, str } from './http.js';
import type { SeedThing } from './seed.js';
import type { SandboxState } from './state.js';

// `relevent` is the misspelling the API required for a while in 2020 (API doc 6.9); it still means relevant.
const SORTS = new Set(['relevant', 'relevent', 'text', 'popular', 'newest', 'makes']);

export type SearchOutcome =
  | { things: SeedThing[]; sort: string; term: boolean }
  | { status: 400; error: string };

interface SearchInput {
  term: string;
  query: Record<string, unknown>;
  /** /users/{name}/search: only that user's own designs. */
  creatorId?: number;
}

const bad = (error = 'Bad Request'): SearchOutcome => ({ status: 400, error });

export function searchThings(state: SandboxState, { term, query, creatorId }: SearchInput): SearchOutcome {
  const type = str(query['type']) ?? 'things';
  // Choice: users/collections/makes searches are not modelled; asking for them fails loudly.
  if (type !== 'things') return bad('Bad Request: the sandbox only supports type=things');
  // Choice: the default sort is `relevant`; with an empty term that is the popularity order.
  const sort = str(query['sort']) ?? 'relevant';
  if (!SORTS.has(sort)) return bad();
  const likedBy = positiveInt(query['liked_by']);
  if (Number.isNaN(likedBy)) return bad();
  // Choice: is_featured=1 keeps featured things only; 0 (or absent) does not filter; anything else is a 400.
  const featured = str(query['is_featured']);
  if (featured !== undefined && featured !== '0' && featured !== '1') return bad();

  const words = term.toLowerCase().split(/\s+/).filter(Boolean);
  // Choice: a term with no letter or digit at all (" ", "!!!") is the "empty query" that the real API
  // refuses with a 400; an absent or zero-length term (`/search/`, `q=`) lists everything.
  if (term !== '' && !/[\p{L}\p{N}]/u.test(term)) return bad('Bad Request: empty search term');
  const liked = likedBy === undefined ? undefined : new Set(state.likedIds(likedBy));
  const scored: { thing: SeedThing; score: number }[] = [];
  // byPopularity() is already sorted, so a stable sort keeps popularity as the tie-breaker.
  for (const thing of state.byPopularity()) {
    if (liked && !liked.has(thing.id)) continue;
    if (featured === '1' && !thing.isFeatured) continue;
    if (creatorId !== undefined && thing.creatorId !== creatorId) continue;
    const score = scoreOf(thing, words);
    if (score !== undefined) scored.push({ thing, score });
  }
  sortScored(scored, sort);
  return { things: scored.map((s) => s.thing), sort, term: words.length > 0 };
}

/** Choice: relevance = 2 points per word found in the name, 1 per word found only in the tags; every word must be found. */
function scoreOf(thing: SeedThing, words: string[]): number | undefined {
  const name = thing.name.toLowerCase();
  const tags = thing.tags.join(' ').toLowerCase();
  let score = 0;
  for (const w of words) {
    if (name.includes(w)) score += 2;
    else if (tags.includes(w)) score += 1;
    else return undefined;
  }
  return score;
}

function sortScored(scored: { thing: SeedThing; score: number }[], sort: string): void {
  if (sort === 'newest') scored.sort((a, b) => b.thing.id - a.thing.id); // ids grow with created_at
  if (sort === 'relevant' || sort === 'relevent') scored.sort((a, b) => b.score - a.score);
  // Choice: `text` is the match alone: score, then name A-Z (no popularity).
  if (sort === 'text') scored.sort((a, b) => b.score - a.score || a.thing.name.localeCompare(b.thing.name, 'en') || a.thing.id - b.thing.id);
  if (sort === 'makes') scored.sort((a, b) => b.thing.makeCount - a.thing.makeCount);
}
