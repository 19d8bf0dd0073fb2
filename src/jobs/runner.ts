// Runs a bulk job against Thingiverse: a few writes at a time, never more than the user's
// rate budget allows (minus a reserve for their page views), so it slows down instead of
// causing a 429; after a 429 anyway (another app on the same account, a restart that forgot
// the count) it waits the retry time and carries on. Each thing is written at most once,
// except after a 429, which is a refusal, not a maybe. Ambiguous writes are reconciled by
// likes.setLiked exactly as for a single like.
import type { LikesService } from '../services/likes.js';
import type { RateBudget } from '../services/budget.js';
import { isUpstreamError } from '../thingiverse/errors.js';
import type { BulkItem, BulkJob } from './bulk-job.js';

export interface RunnerOptions {
  /** Writes in flight at once for one job. */
  concurrency: number;
  /** Calls per window a job leaves free for the user's page views. */
  reserve: number;
}

export interface RunnerDeps extends RunnerOptions {
  likes: LikesService;
  budget: RateBudget;
  now: () => number;
  /** Resolves after ms, or as soon as signal aborts (cancel). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Words for the summary; never the upstream's own text. */
export function reasonFor(err: unknown): string {
  if (!isUpstreamError(err)) return 'Something went wrong on our side.';
  if (err.ambiguous) return 'Thingiverse did not confirm it in time; the page shows the real state once it answers.';
  switch (err.kind) {
    case 'not_found': return 'Not found on Thingiverse.';
    case 'bad_request': return 'Thingiverse refused it (you cannot like or unlike your own things).';
    case 'forbidden': return 'Thingiverse does not allow that for this account.';
    case 'unauthorized': return 'Your Thingiverse login is no longer valid.';
    case 'timeout': return 'Thingiverse did not answer in time.';
    default: return 'Thingiverse did not answer properly.';
  }
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
  const key = `user:${job.user.id}`;
  const sleep = deps.sleep ?? abortableSleep;
  const target = job.action === 'like';
  let stopReason: string | null = null; // set when nothing more can succeed (dead token)

  const waitUntil = async (until: number) => {
    job.waitingUntil = until;
    await sleep(until - deps.now(), job.abort.signal);
    job.waitingUntil = null;
  };
  /**
   * True when a call may go out now. It must be followed by the call with no await in
   * between: the call is counted (in Backoff.run) before any other worker can look.
   */
  const mayCall = async (): Promise<boolean> => {
    for (;;) {
      if (job.cancelRequested || stopReason !== null) return false;
      const w = deps.budget.waitMs(key, deps.reserve);
      if (w === 0) return true;
      await waitUntil(deps.now() + w);
    }
  };
  const onRateLimit = async (err: unknown) => {
    if (!isUpstreamError(err) || err.kind !== 'rate_limited') return false;
    if (err.status !== null) job.rateLimited += 1; // a real 429, not our Backoff holding back
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
        liked = await deps.likes.likedAmong(job.user, token, job.items.map((i) => i.id));
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
        // mayCall said yes a microtask ago: another worker may have taken the last free call since.
        if (deps.budget.waitMs(key, deps.reserve) > 0) continue;
        const item = queue.shift();
        if (!item) return;
        try {
          job.sending(item);
          await deps.likes.setLiked(job.user, token, item.id, target);
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
