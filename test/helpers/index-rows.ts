// Rows for LikedIndex tests (likes-index.test.ts, liked-search.test.ts): a thing as a refresh
// sees it, and a complete refresh of a user's likes written 100 a page as index-walk.ts does.
import type { LikedIndex, SeenThing } from '../../src/store/liked-index.js';

export const seen = (id: number, name: string, creator: string, likeCount: number | null = id): SeenThing =>
  ({ id, name, creator, likeCount, url: `https://www.thingiverse.com/thing:${id}`, thumbnail: null });

export function fill(index: LikedIndex, userId: number, things: SeenThing[]): void {
  const gen = index.beginRefresh(userId);
  for (let i = 0; i < things.length; i += 100) index.writePage(userId, gen, i, things.slice(i, i + 100));
  index.endRefresh(userId, gen, true);
}
