// Every long-lived part of the app, built once: the database, the session store, like state,
// the Thingiverse client, the likes service, bulk jobs and the list and image caches. The server, the
// tests, the bench and the load script all get them from here; createApp only mounts routes
// on them. close() stops the work that writes (jobs) before it closes the database.
import path from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Page, ThingImage, ThingSummary, ThingiverseClient } from './thingiverse/types.js';
import type { Clock } from './thingiverse/clock.js';
import { openDb, type Db } from './store/db.js';
import { SqliteSessionStore } from './store/session-store.js';
import { LikeState } from './store/like-state.js';
import { loadOrCreateSessionSecret } from './store/secret-file.js';
import { createThingiverseClient } from './thingiverse/client.js';
import { createTtlCache, type TtlCache } from './services/ttl-cache.js';
import { RateLimiter, type LimiterOptions } from './thingiverse/limiter.js';
import { createLikesService, type LikesService } from './services/likes.js';
import { BULK_DEFAULTS, BulkJobs, type BulkOptions } from './jobs/registry.js';
import { JobStore } from './store/job-store.js';
import { LikedIndex } from './store/liked-index.js';
import { IndexRefresher } from './likes/index-refresh.js';
import { PendingImports } from './store/pending-imports.js';

/** What a test, the bench or the load script may replace; production uses none of these. */
export interface ServiceOverrides {
  client?: ThingiverseClient;
  /** Client timeouts and retries (tests keep them short). */
  timeoutMs?: number;
  retryLimit?: number;
  sessionSecrets?: string[];
  now?: () => number;
  /** The client's and its limiter's time (retry waits, 429 holds); `now` moves sessions, not this. */
  upstreamClock?: Clock;
  popularCache?: TtlCache<Page<ThingSummary>>;
  thingImagesCache?: TtlCache<ThingImage[]>;
  /** The client's rate limit (default Thingiverse's 300 per 5 minutes); tests and the bench scale it down. */
  rateLimit?: Pick<LimiterOptions, 'limit' | 'windowMs'>;
  bulk?: Partial<BulkOptions>;
}

export interface Services {
  logger: Logger;
  now: () => number;
  db: Db;
  sessionStore: SqliteSessionStore;
  sessionSecrets: string[];
  likeState: LikeState;
  client: ThingiverseClient;
  /** Counts every upstream request per credential; shared by every client built here. */
  limiter: RateLimiter;
  likes: LikesService;
  /** The liked index and what keeps it current (the liked page, export, import). */
  likedIndex: IndexRefresher;
  jobs: BulkJobs;
  /** Import previews waiting for their confirmation (SQLite, so they outlive a restart). */
  pendingImports: PendingImports;
  popularCache: TtlCache<Page<ThingSummary>>;
  /** Each thing's gallery (the same for every viewer); the thing itself, with its like state, is never cached. */
  thingImagesCache: TtlCache<ThingImage[]>;
  /**
   * Forget everything learnt from Thingiverse: like snapshots, liked indexes, the list and
   * image caches, rate-limit counts; running bulk jobs are cancelled and running index
   * refreshes waited for first. For tests that reset the sandbox between tests (its world
   * starts again, so must this app's memory of it); production never calls it.
   */
  forgetUpstream(): Promise<void>;
  /** Pause jobs and wait for their writes (bounded by waitMs), then close the store and the database. */
  close(waitMs?: number): Promise<void>;
}

export const JOB_STOP_WAIT_MS = 5000;

/**
 * A thing's images are the same for every user and change rarely, so a repeat view of a thing
 * page costs one upstream call (the thing, whose is_liked and counts stay fresh). Bounded:
 * about 500 galleries of 12 images' URLs is well under a megabyte.
 */
export const THING_IMAGES_CACHE = { ttlMs: 10 * 60_000, maxEntries: 500 };

export function createServices(config: Config, logger: Logger, overrides: ServiceOverrides = {}): Services {
  const now = overrides.now ?? Date.now;
  const sessionSecrets = overrides.sessionSecrets
    ?? (config.sessionSecrets.length > 0 ? config.sessionSecrets : [loadOrCreateSessionSecret(config.dataDir)]);
  const db = openDb(path.join(config.dataDir, 'app.db'));
  const sessionStore = new SqliteSessionStore(db, { defaultTtlMs: config.sessionIdleMs });
  const likeState = new LikeState(db);
  // Not `now`: this clock paces real requests (a test's fake `now` moves sessions, not upstream);
  // real time unless a test injects one to skip a Retry-After's wait.
  const clock = overrides.upstreamClock;
  const limiter = overrides.client?.limiter
    ?? new RateLimiter({ ...config.rateLimit, ...overrides.rateLimit, ...(clock ? { now: clock.now, sleep: clock.sleep } : {}) });
  const client = overrides.client ?? createThingiverseClient({
    ...config.thingiverse,
    limiter,
    ...(clock ? { clock } : {}),
    // Once per list kind (and again only if it changes): is /search answering, or a deprecated list?
    onListSource: (list, source) => logger.info({ list, source }, 'list endpoint'),
    timeoutMs: overrides.timeoutMs ?? config.upstreamTimeoutMs,
    ...(overrides.retryLimit !== undefined ? { retryLimit: overrides.retryLimit } : {}),
  });
  const popularCache = overrides.popularCache ?? createTtlCache<Page<ThingSummary>>({ ttlMs: config.popularCacheMs, now });
  const thingImagesCache = overrides.thingImagesCache ?? createTtlCache<ThingImage[]>({ ...THING_IMAGES_CACHE, now });
  const likedIndex = new IndexRefresher({ index: new LikedIndex(db, now), client, logger, maxAgeMs: config.likedIndexMaxAgeMs, now });
  const likes = createLikesService({
    client, likeState, likeStateTtlMs: config.likeStateTtlMs,
    onConfirmed: (userId, thingId, liked) => likedIndex.onConfirmed(userId, thingId, liked),
  });
  const jobStore = new JobStore(db);
  const jobs = new BulkJobs({
    likes, limits: client, now, options: { ...BULK_DEFAULTS, ...overrides.bulk },
    persistence: { store: jobStore, tokenOfUser: (userId) => sessionStore.tokenOfUser(userId) },
  });
  const pendingImports = new PendingImports(db, now);
  // Jobs a stop or crash interrupted go on now.
  jobs.resume();

  const forgetUpstream = async () => {
    // Work still writing what it learnt goes first, or it would write the old world back.
    await jobs.cancelAll(JOB_STOP_WAIT_MS);
    await likedIndex.forgetAll();
    likeState.forgetAll();
    popularCache.clear();
    thingImagesCache.clear();
    limiter.clear();
  };

  let closing: Promise<void> | undefined;
  const close = (waitMs = JOB_STOP_WAIT_MS) =>
    (closing ??= (async () => {
      await jobs.pauseAll(waitMs);
      jobStore.close();
      pendingImports.close();
      sessionStore.close();
      db.close();
    })());

  return { logger, now, db, sessionStore, sessionSecrets, likeState, client, limiter, likes, likedIndex, jobs, pendingImports, popularCache, thingImagesCache, forgetUpstream, close };
}
