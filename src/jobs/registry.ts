// Bulk jobs per user: one running job per user, finished ones kept for an hour so the status
// page survives reloads and the summary can be read later. A second job while one runs is
// refused, not queued: two jobs would share one rate budget and one like-state, and a refusal
// that links to the running job is easier to follow than a hidden queue.
// With a store (SQLite), every job and item change is written as it happens, and the jobs a
// stop or crash interrupted resume when the app starts again, with the token of their user's
// live session; a user with none has logged out, which cancels their jobs anyway.
// A job may name a next job (import's "match the file": the unlikes after the likes), started
// when the first one finishes, with the same token; stored with the job, so it survives too.
import type { SessionUser } from '../middleware/session.js';
import { BulkJob, JOB_ID, type BulkAction, type BulkItem, type JobObserver, type NextJob } from './bulk-job.js';
import { runBulkJob, type RunnerDeps, type RunnerOptions } from './runner.js';
import type { JobStore } from '../store/job-store.js';

/** Where jobs are kept, and where a resumed job finds its user's token. */
export interface JobPersistence {
  store: JobStore;
  tokenOfUser(userId: number): string | undefined;
}

export interface BulkOptions extends RunnerOptions {
  /** Most things in one job. */
  maxIds: number;
  /** How long a finished job stays readable. */
  keepMs: number;
  /** Finished jobs kept per user (newest first). */
  keepPerUser: number;
}

export const BULK_DEFAULTS: BulkOptions = { concurrency: 4, reserve: 50, maxIds: 100, keepMs: 60 * 60_000, keepPerUser: 5 };

export type StartResult = { started: true; job: BulkJob } | { started: false; running: BulkJob };

export class BulkJobs {
  private readonly byUser = new Map<number, BulkJob[]>();
  private readonly runs = new Map<string, Promise<void>>();

  private readonly observer: JobObserver | undefined;

  constructor(private readonly deps: Omit<RunnerDeps, keyof RunnerOptions> & { options: BulkOptions; persistence?: JobPersistence }) {
    const store = deps.persistence?.store;
    this.observer = store && {
      item: (job, index, status, reason) => store.setItem(job.id, index, status, reason),
      finish: (job) => {
        store.finish(job.id, job.state, job.finishedAt ?? this.deps.now(), job.rateLimited);
        if (job.next && job.state === 'cancelled') store.dropNext(job.id);
      },
    };
  }

  /**
   * After a restart: the jobs that were running go on where they stopped. An item whose write
   * was on its way (`sending`) is pending again, and the user's like snapshot is dropped, so the
   * job's first step reads the truth from Thingiverse and skips what already landed: no write
   * goes out twice. Returns how many jobs resumed.
   */
  resume(): number {
    const persistence = this.deps.persistence;
    if (!persistence) return 0;
    let resumed = 0;
    for (const stored of persistence.store.unfinished()) {
      const items: BulkItem[] = stored.items.map((i) => ({ ...i, status: i.status === 'sending' ? 'pending' : i.status }));
      const job = new BulkJob(stored.user, stored.action, [], stored.returnTo, stored.createdAt, { id: stored.id, items, rateLimited: stored.rateLimited, next: stored.next });
      job.observer = this.observer;
      this.byUser.set(stored.user.id, [job, ...(this.byUser.get(stored.user.id) ?? [])]);
      const token = persistence.tokenOfUser(stored.user.id);
      if (!token || this.running(stored.user.id) !== job) {
        job.cancel(); // logged out meanwhile (or a second running job of theirs): nothing more is sent
        job.finish(this.deps.now());
        continue;
      }
      this.deps.likes.forget(stored.user.id);
      this.launch(job, token);
      resumed += 1;
    }
    // A job finished just before the stop, and its next job had not started yet: start it now.
    for (const waiting of persistence.store.waitingNext()) {
      const token = persistence.tokenOfUser(waiting.user.id);
      if (!token || this.running(waiting.user.id)) {
        persistence.store.dropNext(waiting.jobId);
        continue;
      }
      const { action, ids } = waiting.next;
      if (this.begin(waiting.user, token, action, ids, waiting.returnTo, { after: waiting.jobId }).started) resumed += 1;
    }
    return resumed;
  }

  now(): number {
    return this.deps.now();
  }

  get options(): BulkOptions {
    return this.deps.options;
  }

  running(userId: number): BulkJob | undefined {
    return this.byUser.get(userId)?.find((j) => j.state === 'running');
  }

  /** `next`: a job to start when this one finishes (not when it is cancelled). */
  start(user: SessionUser, token: string, action: BulkAction, ids: readonly number[], returnTo: string, next?: NextJob): StartResult {
    return this.begin(user, token, action, ids, returnTo, { next });
  }

  /** `after`: the job whose stored next job this is (used up as this one is stored). */
  private begin(user: SessionUser, token: string, action: BulkAction, ids: readonly number[], returnTo: string,
    opts: { next?: NextJob; after?: string }): StartResult {
    this.prune();
    const running = this.running(user.id);
    if (running) return { started: false, running };
    const job = new BulkJob(user, action, ids, returnTo, this.deps.now(), undefined, opts.next);
    job.observer = this.observer;
    this.deps.persistence?.store.create(job, opts.after);
    this.byUser.set(user.id, [job, ...(this.byUser.get(user.id) ?? [])]);
    this.launch(job, token);
    return { started: true, job };
  }

  private launch(job: BulkJob, token: string): void {
    // The token stays in this closure: never on the job, so never in a view or a log.
    const run = runBulkJob(job, token, { ...this.deps, ...this.deps.options })
      .then(() => this.startNext(job, token))
      .finally(() => this.runs.delete(job.id));
    this.runs.set(job.id, run);
  }

  /** After a run: a finished job's next job starts (a paused one's waits for the restart). */
  private startNext(job: BulkJob, token: string): void {
    if (!job.next || job.state !== 'finished') return;
    try {
      const result = this.begin(job.user, token, job.next.action, job.next.ids, job.returnTo, { after: job.id });
      if (result.started) job.nextJobId = result.job.id;
    } catch {
      // The database refused the new job: its row is still stored, so the next start begins it.
    }
  }

  /** The job, only for its owner: anyone else gets undefined (a 404, not a 403). */
  get(userId: number, jobId: string): BulkJob | undefined {
    if (!JOB_ID.test(jobId)) return undefined;
    return this.byUser.get(userId)?.find((j) => j.id === jobId);
  }

  /**
   * The user's session ended (logout, absolute timeout, a dead token): cancel their running
   * jobs and wait, at most waitMs, for writes already in flight. After this no request of
   * theirs leaves this process with the token those jobs held.
   */
  async stopUser(userId: number, waitMs: number): Promise<void> {
    const jobs = (this.byUser.get(userId) ?? []).filter((j) => j.state === 'running');
    await this.stopJobs(jobs, waitMs);
  }

  /** Cancel every running job and wait, at most waitMs, for writes in flight (Services.forgetUpstream). */
  async cancelAll(waitMs: number): Promise<void> {
    await this.stopJobs([...this.byUser.values()].flat().filter((j) => j.state === 'running'), waitMs);
  }

  /** Shutdown: stop every running job, bounded. Returns the users whose writes may not have
   * finished, so their like state can be read again from Thingiverse. */
  async pauseAll(waitMs: number): Promise<number[]> {
    // Already paused ones are left alone: startServer pauses in parallel with the HTTP drain,
    // and services.close() pauses again for callers that did not.
    const jobs = [...this.byUser.values()].flat().filter((j) => j.state === 'running' && !j.paused);
    await this.stopJobs(jobs, waitMs, 'pause');
    const users = [...new Set(jobs.map((j) => j.user.id))];
    // A write cut by the stop may have reached Thingiverse unconfirmed: read the truth next time.
    for (const id of users) this.deps.likes.forget(id);
    return users;
  }

  private async stopJobs(jobs: BulkJob[], waitMs: number, how: 'cancel' | 'pause' = 'cancel'): Promise<void> {
    if (jobs.length === 0) return;
    for (const job of jobs) job[how]();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs).unref()));
    await Promise.race([Promise.all(jobs.map((j) => this.settled(j.id))), bound]);
    clearTimeout(timer);
  }

  /** Resolves once the job's run has ended (tests, and anyone who wants to wait). */
  settled(jobId: string): Promise<void> {
    return this.runs.get(jobId) ?? Promise.resolve();
  }

  private prune(): void {
    const cutoff = this.deps.now() - this.deps.options.keepMs;
    for (const [userId, jobs] of this.byUser) {
      let finished = 0;
      const kept = jobs.filter((j) => j.state === 'running' || (++finished <= this.deps.options.keepPerUser && (j.finishedAt ?? 0) > cutoff));
      if (kept.length > 0) this.byUser.set(userId, kept);
      else this.byUser.delete(userId);
    }
  }
}
