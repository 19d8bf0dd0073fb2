// Keeps the liked index (src/store/liked-index.ts) in step with Thingiverse. A refresh reads
// /users/{name}/likesids once (what "complete" means) and then /users/{name}/likes 100 at a
// time, writing each page as it arrives; it is clean when it saw every liked id and nothing
// changed here meanwhile. One refresh per user at a time; pages never wait for a full one
// (the first visit waits for the first page only). It leaves `reserve` calls of the user's
// rate budget free for their page views, waiting when it would eat into them.
import type { Logger } from '../logger.js';
import { errorFields } from '../logger.js';
import type { SessionUser } from '../http/session.js';
import type { ThingSummary, ThingiverseClient } from '../thingiverse/types.js';
import type { Backoff } from '../services/backoff.js';
import { abortableSleep } from '../jobs/runner.js';
import type { LikedIndex, SeenThing } from '../store/liked-index.js';

export const REFRESH_PER_PAGE = 100;
/** After a refresh that could not finish cleanly, wait this long before the next automatic one. */
const RETRY_AFTER_MS = 60_000;

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

export class IndexRefresher {
  private readonly runs = new Map<number, Run>();
  /** When a user's last refresh failed or ended unclean (in memory: a restart retries at once). */
  private readonly failedAt = new Map<number, number>();
  private readonly now: () => number;

  constructor(private readonly deps: RefreshDeps) {
    this.now = deps.now ?? Date.now;
  }

  get index(): LikedIndex {
    return this.deps.index;
  }

  /** The likes service's confirmed-state hook: every like/unlike Thingiverse confirmed. */
  onConfirmed(userId: number, thingId: number, liked: boolean): void {
    this.deps.index.applyChange(userId, thingId, liked);
    const run = this.runs.get(userId);
    if (!run) return;
    run.changed = true; // pages read before the change may be shifted by one: not a clean picture
    if (liked) run.unliked.delete(thingId);
    else run.unliked.add(thingId);
  }

  isRefreshing(userId: number): boolean {
    return this.runs.has(userId);
  }

  isDue(userId: number): boolean {
    const meta = this.deps.index.meta(userId);
    if (meta.refreshedAt !== null && !meta.stale) return this.now() - meta.refreshedAt >= this.deps.maxAgeMs;
    // Never filled: every view tries (and shows the failure), as a page read upstream would.
    if (meta.refreshedAt === null && this.deps.index.count(userId) === 0) return true;
    // Never filled, or stale: now, unless the last refresh failed or ended unclean a moment ago.
    const failed = this.failedAt.get(userId);
    return failed === undefined || this.now() - failed >= RETRY_AFTER_MS;
  }

  /** Starts a refresh unless one is running; both promises reject on upstream failure. */
  refresh(user: SessionUser, token: string): Run {
    const existing = this.runs.get(user.id);
    if (existing) return existing;
    let firstPage!: () => void;
    const first = new Promise<void>((resolve) => (firstPage = resolve));
    const run = { unliked: new Set<number>(), changed: false, reported: false } as Run;
    run.done = this.walk(user, token, run, firstPage).finally(() => this.runs.delete(user.id));
    // Settles with the walk too, if the walk ends (or fails) before its first page.
    run.firstPage = Promise.race([first, run.done]);
    // Logged here unless a request passed it on (after the awaiting callers' handlers ran);
    // callers that await still get the rejection, and nobody has to.
    run.done.catch((err) => setImmediate(() => {
      if (!run.reported) this.deps.logger.warn({ err: errorFields(err), userId: user.id }, 'liked index refresh failed');
    }));
    run.firstPage.catch(() => undefined);
    this.runs.set(user.id, run);
    return run;
  }

  /** Waits for a promise of this run; a failure is passed on to the caller, who reports it. */
  async passOn(run: Run, which: 'firstPage' | 'done'): Promise<void> {
    try {
      await run[which];
    } catch (err) {
      run.reported = true;
      throw err;
    }
  }

  /** A page view's call: refresh in the background when due (failures are logged by refresh()). */
  refreshIfDue(user: SessionUser, token: string): Run | undefined {
    if (this.isRefreshing(user.id)) return this.runs.get(user.id);
    if (!this.isDue(user.id)) return undefined;
    return this.refresh(user, token);
  }

  /**
   * Makes sure the index holds exactly what Thingiverse lists (export, import preview): one
   * likesids read, and a full refresh only when the ids differ. Throws upstream failures.
   */
  async ensureComplete(user: SessionUser, token: string): Promise<void> {
    const running = this.runs.get(user.id);
    if (running) await this.passOn(running, 'done');
    const key = `user:${user.id}`;
    const ids = await this.deps.backoff.run(key, 'GET /users/:name/likesids', () => this.deps.client.likedIds(token, user.name));
    const local = this.deps.index.ids(user.id);
    if (!this.deps.index.meta(user.id).stale && ids.length === local.size && ids.every((id) => local.has(id))) {
      this.deps.index.confirm(user.id);
      return;
    }
    await this.passOn(this.refresh(user, token), 'done');
  }

  private async walk(user: SessionUser, token: string, state: Run, firstPage: () => void): Promise<void> {
    const { index, client, backoff } = this.deps;
    const key = `user:${user.id}`;
    const gen = index.beginRefresh(user.id);
    let clean = false;
    try {
      await this.budget(key);
      const expected = await backoff.run(key, 'GET /users/:name/likesids', () => client.likedIds(token, user.name));
      const seen = new Set<number>();
      const pages = Math.max(1, Math.ceil(expected.length / REFRESH_PER_PAGE));
      for (let page = 1; ; page++) {
        await this.budget(key);
        const result = await backoff.run(key, 'GET /users/:name/likes', () =>
          client.likedThings(token, user.name, { page, perPage: REFRESH_PER_PAGE }));
        index.writePage(user.id, gen, (page - 1) * REFRESH_PER_PAGE, result.items.map(toSeen), state.unliked);
        for (const t of result.items) seen.add(t.id);
        if (page === 1) firstPage();
        // Past the expected pages, go on only while pages come back full and ids are still
        // missing (likes added elsewhere meanwhile shift the list down).
        if (page >= pages && (result.items.length < REFRESH_PER_PAGE || expected.every((id) => seen.has(id)))) break;
      }
      clean = !state.changed && expected.every((id) => seen.has(id) || state.unliked.has(id));
    } finally {
      index.endRefresh(user.id, gen, clean);
      if (clean) this.failedAt.delete(user.id);
      else this.failedAt.set(user.id, this.now());
    }
  }

  private async budget(key: string): Promise<void> {
    const budget = this.deps.backoff.budget;
    if (!budget) return;
    const sleep = this.deps.sleep ?? abortableSleep;
    for (let w = budget.waitMs(key, this.deps.reserve ?? 25); w > 0; w = budget.waitMs(key, this.deps.reserve ?? 25)) {
      await sleep(w, new AbortController().signal);
    }
  }
}
