// `heavyLikes: N` adds heavy_liker, a user with N likes, to show that what the app pays per
// page does not grow with a like history (issue 5). The seed has 1,600 things, so likes past
// those go to "archived" things: reachable by id (detail, like/unlike, the user's likes
// list) but, like things taken down on the real site, absent from /popular and search.
import { isoDate } from './random.js';
import type { Seed, SeedThing, SeedUser } from './seed.js';

export const HEAVY_USER_NAME = 'heavy_liker';
export const HEAVY_USER_ID = 5_100_099;
export const ARCHIVED_FIRST_ID = 90_000_001;
export const MAX_HEAVY_LIKES = 100_000;

export interface HeavyUser {
  user: SeedUser;
  /** Archived things only; the seed's own things are liked too but already exist. */
  things: SeedThing[];
  /** Newest like first. */
  likedIds: number[];
}

export function makeHeavyUser(likes: number, seed: Seed): HeavyUser {
  const at = isoDate(Date.UTC(2019, 0, 1));
  const creator = seed.users.find((u) => !u.demo)!;
  const archived = Math.max(0, likes - seed.things.length);
  const things: SeedThing[] = Array.from({ length: archived }, (_, i) => ({
    id: ARCHIVED_FIRST_ID + i,
    name: `Archived design ${i + 1}`,
    creatorId: creator.id,
    createdAt: at, modifiedAt: at, tags: [], baseLikes: 0,
    commentCount: 0, collectCount: 0, makeCount: 0, downloadCount: 0, viewCount: 0, fileCount: 1,
    isFeatured: false, license: 'Creative Commons - Attribution', description: 'An archived design.',
  }));
  const likedIds = [...seed.things.slice(0, likes).map((t) => t.id), ...things.map((t) => t.id)];
  const user: SeedUser = {
    id: HEAVY_USER_ID, name: HEAVY_USER_NAME, firstName: 'Heavy', lastName: 'Liker', location: 'Loadville',
    bio: 'Likes everything.', registered: at, lastActive: at, followers: 0, following: 0, demo: false,
  };
  return { user, things, likedIds };
}
