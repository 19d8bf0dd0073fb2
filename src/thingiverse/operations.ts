// One typed name per client method. Callers never pass operation strings: the client picks
// the name, errors carry it (`op`) and the route template derived from it (`operation`, for
// logs), and the error words switch on the name, never on a regex over a string.
export const OPERATIONS = {
  search: { route: 'GET /search', write: false },
  popular: { route: 'GET /popular', write: false },
  newest: { route: 'GET /newest', write: false },
  featured: { route: 'GET /featured', write: false },
  thing: { route: 'GET /things/:id', write: false },
  thingImages: { route: 'GET /things/:id/images', write: false },
  like: { route: 'POST /things/:id/likes', write: true },
  unlike: { route: 'DELETE /things/:id/likes', write: true },
  likedThings: { route: 'GET /users/:name/likes', write: false },
  likedIds: { route: 'GET /users/:name/likesids', write: false },
  me: { route: 'GET /users/me', write: false },
  tokenInfo: { route: 'POST /login/oauth/tokeninfo', write: false },
  exchangeCode: { route: 'POST /login/oauth/access_token', write: false },
} as const satisfies Record<string, { route: string; write: boolean }>;

export type Operation = keyof typeof OPERATIONS;

/** The like/unlike writes: the only calls a user can get refused on purpose (their own thing). */
export function isLikeWrite(op: Operation): op is 'like' | 'unlike' {
  return op === 'like' || op === 'unlike';
}
