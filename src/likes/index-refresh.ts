// Keeps the liked index (src/store/liked-index.ts) in step with Thingiverse: decides when a
// full refresh or a top-up is due (index-walk.ts does the reading), runs one per user at a
// time, hears every like/unlike confirmed here, and checks completeness for export and import
// with one likesids read. Pages never wait for a full refresh (the first visit waits for the
// first page only).
import { errorFields } from '../logger.js';
import type { SessionUser } from '../middleware/session.js';
import type { LikedIndex } from '../store/liked-index.js';
import { topUp, walkAll, type RefreshDeps, type Run } from './index-walk.js';

export { REFRESH_PER_PAGE, type RefreshDeps, type Run } from './index-walk.js';

/** After a refresh that failed or ended unclean, wait this long before the next automatic one. */
const RETRY_AFTER_MS = 60_000;

export class IndexRefresher {
  private readonly runs = new Map<number, Run>();
  /** When a user's last refresh failed or ended unclean (in memory: a restart retries at once). */
  private readonly failedAt = new Map<number, number>();
  /** Users whose index missed a change (database busy): a full refresh is due whatever the age. */
  private readonly mustRefresh = new Set<number>();
  private readonly now: () => number;

  constructor(private readonly deps: RefreshDeps) {
    this.now = deps.now ?? Date.now;
  }

  get index(): LikedIndex {
    return this.deps.index;
  }

  /** The likes service's confirmed-state hook: every like/unlike Thingiverse confirmed. */
  onConfirmed(userId: number, thingId: number, liked: boolean): void {
    try {
      this.deps.index.applyChange(userId, thingId, liked);
    } catch (err) {
      // The database is busy (a second process): the write happened upstream, so never fail
      // the like for it; the next page view reads the whole list again instead.
      this.deps.logger.warn({ err: errorFields(err), userId }, 'liked index change not saved; a full refresh is due');
      this.mustRefresh.add(userId);
    }
    const run = this.runs.get(userId);
    if (!run) return;
    run.changed = true; // pages read before the change may be shifted by one: not a clean picture
    if (liked) run.unliked.delete(thingId);
    else run.unliked.add(thingId);
  }

  isRefreshing(userId: number): boolean {
    return this.runs.has(userId);
  }

  /** What a page view should start: a full refresh, a top-up of likes made here, or nothing. */
  due(userId: number): 'full' | 'top' | null {
    const { index } = this.deps;
    const meta = index.meta(userId);
    // Never filled: every view tries (and shows the failure), as a page read upstream would.
    if (this.mustRefresh.has(userId) || (meta.refreshedAt === null && index.count(userId) === 0)) return 'full';
    if (meta.refreshedAt !== null && !meta.stale && this.now() - meta.refreshedAt >= this.deps.maxAgeMs) return 'full';
    // Otherwise not again right after a refresh that failed or ended unclean.
    const failed = this.failedAt.get(userId);
    if (failed !== undefined && this.now() - failed < RETRY_AFTER_MS) return null;
    if (meta.refreshedAt === null || meta.stale) return 'full';
    return meta.missingDetails > 0 ? 'top' : null;
  }

  isDue(userId: number): boolean {
    return this.due(userId) !== null;
  }

  /**
   * Starts a refresh unless one is running; both promises reject on upstream failure. A
   * 'top' one only reads the top of the list for the details of likes made here.
   */
  refresh(user: SessionUser, token: string, kind: 'full' | 'top' = 'full'): Run {
    const existing = this.runs.get(user.id);
    if (existing) return existing;
    let firstPage!: () => void;
    const first = new Promise<void>((resolve) => (firstPage = resolve));
    const run = { unliked: new Set<number>(), changed: false, reported: false, stopped: false } as Run;
    if (kind === 'full') this.mustRefresh.delete(user.id);
    const work = kind === 'top' ? topUp(this.deps, user, token, run, firstPage) : walkAll(this.deps, user, token, run, firstPage);
    run.done = work
      .then((complete) => void (complete ? this.failedAt.delete(user.id) : this.failedAt.set(user.id, this.now())))
      .catch((err) => {
        this.failedAt.set(user.id, this.now());
        throw err;
      })
      .finally(() => this.runs.delete(user.id));
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

  /**
   * Stops running refreshes after the page each has on its way and waits for that (their
   * failures are theirs to log), then forgets every user's index and every failure: the next
   * view of each user starts afresh (Services.forgetUpstream).
   */
  async forgetAll(): Promise<void> {
    const running = [...this.runs.values()];
    for (const run of running) run.stopped = true;
    await Promise.all(running.map((run) => run.done.catch(() => undefined)));
    this.failedAt.clear();
    this.mustRefresh.clear();
    this.deps.index.clear();
  }

  /** A page view's call: refresh in the background when due (failures are logged by refresh()). */
  refreshIfDue(user: SessionUser, token: string): Run | undefined {
    if (this.isRefreshing(user.id)) return this.runs.get(user.id);
    const due = this.due(user.id);
    return due === null ? undefined : this.refresh(user, token, due);
  }

  /**
   * Makes sure the index holds exactly what Thingiverse lists (export, import preview): one
   * likesids read, and a full refresh only when the ids differ. Throws upstream failures.
   */
  async ensureComplete(user: SessionUser, token: string): Promise<void> {
    const running = this.runs.get(user.id);
    if (running) await this.passOn(running, 'done');
    // A user's own request (export, import preview): the whole budget, no reserve.
    const ids = await this.deps.client.likedIds(token, user.name);
    const local = this.deps.index.ids(user.id);
    if (!this.deps.index.meta(user.id).stale && ids.length === local.size && ids.every((id) => local.has(id))) {
      if (this.deps.index.meta(user.id).missingDetails > 0) await this.passOn(this.refresh(user, token, 'top'), 'done');
      if (this.deps.index.meta(user.id).missingDetails === 0) return this.deps.index.confirm(user.id);
    }
    await this.passOn(this.refresh(user, token), 'done');
  }
}
