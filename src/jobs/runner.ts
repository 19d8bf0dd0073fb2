// Runs a bulk job against Thingiverse: a few writes at a time, never more than the user's
// rate budget allows (minus a reserve for their page views), so it slows down instead of
// causing a 429; after a 429 anyway (another app on the same account, a restart that forgot
// the count) it waits the retry time and carries on. Each thing is written at most once,
// except after a 429, which is a refusal, not a maybe. Ambiguous writes are reconciled by
// likes.setLiked exactly as for a single like.
import type { LikesService } from '../services/likes.js';
import type { RateLimiter } from '../thingiverse/limiter.js';
import { isUpstreamError } from '../thingiverse/errors.js';
import { describeUpstream } from '../errors.js';
import type { BulkItem, BulkJob } from './bulk-job.js';

export interface RunnerOptions {
  /** Writes in flight at once for one job. */
  concurrency: number;
  /** Calls per window a job leaves free for the user's page views. */
  reserve: number;
}

/** What the runner reads of the client's rate limiter (ThingiverseClient has both). */
export interface RateLimits {
  readonly limiter: Pick<RateLimiter, 'waitMs' | 'remaining' | 'limit' | 'windowMs'>;
  keyFor(token: string): string;
}

export interface RunnerDeps extends RunnerOptions {
  likes: LikesService;
  limits: RateLimits;
  now: () => number;
  /** Resolves after ms, or as soon as signal aborts (cancel). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Words for the summary; never the upstream's own text. */
function reasonFor(err: unknown): string {
  return isUpstreamError(err) ? describeUpstream(err, 'job').message : 'Something went wrong on our side.';
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    // unref: a job waiting out a rate limit must not keep a stopping process alive.
    const timer = setTimeout(done, Math.max(0, ms));
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runBulkJob(job: BulkJob, token: string, deps: RunnerDeps): Promise<void> {
  const key = deps.limits.keyFor(token);
  // Every call of the job leaves `reserve` slots of the window free: the limiter refuses
  // (atomically) what would eat into them, and the job waits for the slot instead.
  const call = { reserve: deps.reserve };
  const sleep = deps.sleep ?? abortableSleep;
  const { limiter } = deps.limits;
  job.budget = () => ({
    left: limiter.remaining(key, deps.reserve),
    perWindow: Math.max(1, limiter.limit - deps.reserve),
    windowMs: limiter.windowMs,
  });
  const target = job.action === 'like';
  let stopReason: string | null = null; // set when nothing more can succeed (dead token)

  const waitUntil = async (until: number) => {
    job.waitingUntil = until;
    await sleep(until - deps.now(), job.abort.signal);
    job.waitingUntil = null;
  };
  /** False once the job should stop; otherwise waits (visibly, cancellably) for a free slot. */
  const mayCall = async (): Promise<boolean> => {
    for (;;) {
      if (job.cancelRequested || stopReason !== null) return false;
      const wait = deps.limits.limiter.waitMs(key, deps.reserve);
      if (wait <= 0) return true;
      await waitUntil(deps.now() + wait);
    }
  };
  const onRateLimit = async (err: unknown) => {
    if (!isUpstreamError(err) || err.kind !== 'rate_limited') return false;
    if (err.status !== null) job.rateLimited += 1; // a real 429, not our limiter holding back
    await waitUntil(err.retryAt ?? deps.now() + 60_000);
    return true;
  };
  const failRest = (reason: string) => {
    for (const item of job.items) if (item.status === 'pending') job.mark(item, 'failed', reason);
  };

  try {
    // 1. Skip what is already in the target state, from the like-state snapshot (one likesids at most).
    let liked: Set<number> | undefined;
    while (!liked && (await mayCall())) {
      try {
        liked = await deps.likes.likedAmong(job.user, token, job.items.map((i) => i.id), call);
      } catch (err) {
        if (await onRateLimit(err)) continue;
        return failRest(`Could not read your likes first: ${reasonFor(err)}`);
      }
    }
    if (!liked) return;
    for (const item of job.items) if (item.status === 'pending' && liked.has(item.id) === target) job.mark(item, 'already');

    // 2. The writes, `concurrency` at a time, from one shared queue.
    const queue: BulkItem[] = job.items.filter((i) => i.status === 'pending');
    const worker = async () => {
      for (;;) {
        if (!(await mayCall())) return;
        const item = queue.shift();
        if (!item) return;
        try {
          // Another worker may have taken the free slot meanwhile: then the limiter refuses
          // this call without sending it, and onRateLimit waits for the next one.
          job.sending(item);
          await deps.likes.setLiked(job.user, token, item.id, target, call);
          job.mark(item, 'done');
        } catch (err) {
          if (await onRateLimit(err)) {
            queue.unshift(item);
            continue;
          }
          job.mark(item, 'failed', reasonFor(err));
          if (isUpstreamError(err) && err.kind === 'unauthorized') stopReason = reasonFor(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.concurrency, queue.length) }, worker));
    if (stopReason !== null) failRest(stopReason);
  } catch (err) {
    failRest(reasonFor(err));
  } finally {
    job.finish(deps.now());
  }
}
