// The two ways the liked index is read from Thingiverse, for IndexRefresher (index-refresh.ts):
// a full walk (likesids, then every page of /likes, 100 at a time, written as they arrive) and
// a top-up (the first pages only, for the details of likes made here). Both wait for the
// user's rate budget in the client's limiter, leaving `reserve` calls free for their page views.
import type { Logger } from '../logger.js';
import type { SessionUser } from '../middleware/session.js';
import type { CallOptions, ThingSummary, ThingiverseClient } from '../thingiverse/types.js';
import { isUpstreamError } from '../thingiverse/errors.js';
import { abortableSleep } from '../jobs/runner.js';
import type { LikedIndex, SeenThing } from '../store/liked-index.js';

export const REFRESH_PER_PAGE = 100;
export interface RefreshDeps {
  index: LikedIndex;
  client: ThingiverseClient;
  logger: Logger;
  /** An index older than this is refreshed in the background on the next page view. */
  maxAgeMs: number;
  /** Calls per rate window left free for the user's page views. Default 25. */
  reserve?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface Run {
  firstPage: Promise<void>;
  done: Promise<void>;
  /** Unliked here while the refresh runs: a page read before the unlike must not bring them back. */
  unliked: Set<number>;
  changed: boolean;
  /** A request passed the failure on (its own log line has it): do not log it twice. */
  reported: boolean;
  /** Asked to stop (IndexRefresher.forgetAll): the walk ends after the page on its way, unclean. */
  stopped: boolean;
}

const toSeen = (t: ThingSummary): SeenThing => ({
  id: t.id, name: t.name, url: t.publicUrl, creator: t.creator?.name ?? null, thumbnail: t.image, likeCount: t.likeCount,
});

/**
 * One call with the user's token, within the budget minus the reserve: waits (in the
 * background) for a slot, and again if another caller took it first (the limiter refuses
 * atomically). A hold after a real 429 is not waited out here: the refresh fails and retries later.
 */
export async function limited<T>(deps: RefreshDeps, token: string, call: (c: CallOptions) => Promise<T>): Promise<T> {
  const { limiter } = deps.client;
  const key = deps.client.keyFor(token);
  const reserve = deps.reserve ?? 25;
  const sleep = deps.sleep ?? abortableSleep;
  for (;;) {
    for (let wait = limiter.waitMs(key, reserve); wait > 0; wait = limiter.waitMs(key, reserve)) {
      if (limiter.blockedUntil(key) !== null) break;
      await sleep(wait, new AbortController().signal);
    }
    try {
      return await call({ reserve });
    } catch (err) {
      if (isUpstreamError(err) && err.detail === 'held_back' && limiter.blockedUntil(key) === null) continue;
      throw err;
    }
  }
}

function readPage(deps: RefreshDeps, user: SessionUser, token: string, page: number) {
  return limited(deps, token, (c) => deps.client.likedThings(token, user.name, { page, perPage: REFRESH_PER_PAGE }, c));
}

/**
 * Every page. Returns true when clean: it saw every liked id and nothing changed here
 * meanwhile (then rows it did not see are dropped); otherwise the index is left stale.
 */
export async function walkAll(deps: RefreshDeps, user: SessionUser, token: string, run: Run, firstPage: () => void): Promise<boolean> {
  const { index, client } = deps;
  const gen = index.beginRefresh(user.id);
  let clean = false;
  try {
    const expected = await limited(deps, token, (c) => client.likedIds(token, user.name, c));
    const seen = new Set<number>();
    const pages = Math.max(1, Math.ceil(expected.length / REFRESH_PER_PAGE));
    for (let page = 1; ; page++) {
      const result = await readPage(deps, user, token, page);
      index.writePage(user.id, gen, (page - 1) * REFRESH_PER_PAGE, result.items.map(toSeen), run.unliked);
      for (const t of result.items) seen.add(t.id);
      if (page === 1) firstPage();
      if (run.stopped) return false;
      // Past the expected pages, go on only while pages come back full and ids are still
      // missing (likes added elsewhere meanwhile shift the list down).
      if (page >= pages && (result.items.length < REFRESH_PER_PAGE || expected.every((id) => seen.has(id)))) break;
    }
    clean = !run.changed && expected.every((id) => seen.has(id) || run.unliked.has(id));
  } finally {
    index.endRefresh(user.id, gen, clean);
  }
  return clean;
}

/** Likes made here are the most recent: their details are on the first pages. True when all were found. */
export async function topUp(deps: RefreshDeps, user: SessionUser, token: string, run: Run, firstPage: () => void): Promise<boolean> {
  const { index } = deps;
  const pages = Math.ceil(index.meta(user.id).missingDetails / REFRESH_PER_PAGE) + 1;
  let left = Infinity;
  try {
    for (let page = 1; page <= pages; page++) {
      const result = await readPage(deps, user, token, page);
      index.fillDetails(user.id, result.items.map(toSeen));
      if (page === 1) firstPage();
      left = index.meta(user.id).missingDetails;
      if (left === 0 || result.items.length < REFRESH_PER_PAGE || run.stopped) break;
    }
  } finally {
    // Still missing (unliked elsewhere, or not where expected): a full refresh sorts it out.
    if (left !== 0) index.markStale(user.id);
  }
  return left === 0;
}
