// Extra plain users for load tests (`loadUsers: N`): load_user_1..N, no likes and no things of
// their own, so each virtual user's like state is its own business. They are not demo users
// (not on the consent page); tokens come from issueToken or POST /__sandbox/tokens.
import { isoDate } from './random.js';
import type { SeedUser } from './seed.js';

export const LOAD_USER_FIRST_ID = 9_000_001;
export const MAX_LOAD_USERS = 100_000;

export function makeLoadUsers(count: number): SeedUser[] {
  const registered = isoDate(Date.UTC(2020, 0, 1));
  return Array.from({ length: count }, (_, i) => ({
    id: LOAD_USER_FIRST_ID + i,
    name: `load_user_${i + 1}`,
    firstName: 'Load',
    lastName: `User ${i + 1}`,
    location: 'Loadville',
    bio: 'A generated user for load tests.',
    registered,
    lastActive: registered,
    followers: 0,
    following: 0,
    demo: false,
  }));
}
