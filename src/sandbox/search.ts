// GET /search: term matching and sorting over the seed things (type=things only).
import { positiveInt, str } from './http.js';
import type { SeedThing } from './seed.js';
import type { SandboxState } from './state.js';

const SORTS = new Set(['relevant', 'popular', 'newest']);

/** Matching things in order, or an error message for a 400. */
export function searchThings(state: SandboxState, term: string, query: Record<string, unknown>): SeedThing[] | string {
  const type = str(query['type']) ?? 'things';
  // Choice: users/collections/makes searches are not modelled; asking for them fails loudly.
  if (type !== 'things') return 'Bad Request: the sandbox only supports type=things';
  // Choice: the default sort is `relevant`; with an empty term that is the popularity order.
  const sort = str(query['sort']) ?? 'relevant';
  if (!SORTS.has(sort)) return 'Bad Request';
  const likedBy = positiveInt(query['liked_by']);
  if (Number.isNaN(likedBy)) return 'Bad Request';

  const words = term.toLowerCase().split(/\s+/).filter(Boolean);
  const liked = likedBy === undefined ? undefined : new Set(state.likedIds(likedBy));
  const scored: { thing: SeedThing; score: number }[] = [];
  // byPopularity() is already sorted, so a stable sort keeps popularity as the tie-breaker.
  for (const thing of state.byPopularity()) {
    if (liked && !liked.has(thing.id)) continue;
    const name = thing.name.toLowerCase();
    const tags = thing.tags.join(' ').toLowerCase();
    let score = 0;
    let all = true;
    for (const w of words) {
      if (name.includes(w)) score += 2;
      else if (tags.includes(w)) score += 1;
      else all = false;
    }
    if (all) scored.push({ thing, score });
  }
  // Choice: relevance = 2 points per word found in the name, 1 per word found only in the tags.
  if (sort === 'newest') scored.sort((a, b) => b.thing.id - a.thing.id); // ids grow with created_at
  if (sort === 'relevant') scored.sort((a, b) => b.score - a.score);
  return scored.map((s) => s.thing);
}
