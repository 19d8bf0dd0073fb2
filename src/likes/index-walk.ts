// The two ways the liked index is read from Thingiverse, for IndexRefresher (index-refresh.ts):
// a full walk (likesids, then every page of /likes, 100 at a time, written as they arrive) and
// a top-up (the first pages only, for the details of likes made here). Both wait for the
// user's rate budget, leaving `reserve` calls free for their page views.
import type { Logger } from '../logger.js';
import type { SessionUser } from '../http/session.js';
import type { ThingSummary, ThingiverseClient } from '../thingiverse/types.js';
import type { Backoff } from '../services/backoff.js';
import { abortableSleep } from '../jobs/runner.js';
import type { LikedIndex, SeenThing } from '../store/liked-index.js';

export const REFRESH_PER_PAGE = 100;
export interface RefreshDeps {
  index: LikedIndex;
  client: ThingiverseClient;
  backoff: Backoff;
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
}

const toSeen = (t: ThingSummary): SeenThing => ({
  id: t.id, name: t.name, url: t.publicUrl, creator: t.creator?.name ?? null, thumbnail: t.image, likeCount: t.likeCount,
});

async function waitForBudget(deps: RefreshDeps, key: string): Promise<void> {
  const budget = deps.backoff.budget;
  if (!budget) return;
  const sleep = deps.sleep ?? abortableSleep;
  for (let w = budget.waitMs(key, deps.reserve ?? 25); w > 0; w = budget.waitMs(key, deps.reserve ?? 25)) {
    await sleep(w, new AbortController().signal);
  }
}

function readPage(deps: RefreshDeps, user: SessionUser, token: string, page: number) {
  return deps.backoff.run(`user:${user.id}`, 'GET /users/:name/likes', () =>
    deps.client.likedThings(token, user.name, { page, perPage: REFRESH_PER_PAGE }));
}

/**
 * Every page. Returns true when clean: it saw every liked id and nothing changed here
 * meanwhile (then rows it did not see are dropped); otherwise the index is left stale.
 */
export async function walkAll(deps: RefreshDeps, user: SessionUser, token: string, run: Run, firstPage: () => void): Promise<boolean> {
  const { index, client, backoff } = deps;
  const key = `user:${user.id}`;
  const gen = index.beginRefresh(user.id);
  let clean = false;
  try {
    await waitForBudget(deps, key);
    const expected = await backoff.run(key, 'GET /users/:name/likesids', () => client.likedIds(token, user.name));
    const seen = new Set<number>();
    const pages = Math.max(1, Math.ceil(expected.length / REFRESH_PER_PAGE));
    for (let page = 1; ; page++) {
      await waitForBudget(deps, key);
      const result = await readPage(deps, user, token, page);
      index.writePage(user.id, gen, (page - 1) * REFRESH_PER_PAGE, result.items.map(toSeen), run.unliked);
      for (const t of result.items) seen.add(t.id);
      if (page === 1) firstPage();
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
export async function topUp(deps: RefreshDeps, user: SessionUser, token: string, firstPage: () => void): Promise<boolean> {
  const { index } = deps;
  const pages = Math.ceil(index.meta(user.id).missingDetails / REFRESH_PER_PAGE) + 1;
  let left = Infinity;
  try {
    for (let page = 1; page <= pages; page++) {
      await waitForBudget(deps, `user:${user.id}`);
      const result = await readPage(deps, user, token, page);
      index.fillDetails(user.id, result.items.map(toSeen));
      if (page === 1) firstPage();
      left = index.meta(user.id).missingDetails;
      if (left === 0 || result.items.length < REFRESH_PER_PAGE) break;
    }
  } finally {
    // Still missing (unliked elsewhere, or not where expected): a full refresh sorts it out.
    if (left !== 0) index.markStale(user.id);
  }
  return left === 0;
}
