// One bulk like/unlike job: what the user asked for, where each thing stands, and the view
// of it that the status page and its JSON poll get. The runner (runner.ts) moves items on;
// nothing here talks to Thingiverse.
import { randomBytes } from 'node:crypto';
import type { SessionUser } from '../middleware/session.js';

export type BulkAction = 'like' | 'unlike';
export type ItemStatus = 'pending' | 'done' | 'already' | 'failed' | 'cancelled';
export type JobState = 'running' | 'finished' | 'cancelled';

/** A job to start when this one has finished (not when cancelled): match mode's unlikes after its likes. */
export interface NextJob {
  action: BulkAction;
  ids: number[];
}

export interface BulkItem {
  id: number;
  status: ItemStatus;
  /** Why it failed, in words for the summary. */
  reason?: string;
}

export interface BulkJobView {
  id: string;
  action: BulkAction;
  state: JobState;
  total: number;
  /** Items that reached an end state (done + already + failed + cancelled). */
  handled: number;
  counts: Record<ItemStatus, number>;
  /** Every thing in the job and where it stands (at most maxIds entries). */
  items: BulkItem[];
  failures: { id: number; reason: string }[];
  /** Set while the job waits for the rate budget or a rate-limit retry time (ms since epoch). */
  waitingUntil: number | null;
  /** Seconds left of that wait, by the server's clock. */
  waitSeconds: number | null;
  /** One sentence for people: the page shows it, and the page's script copies it from the JSON. */
  summary: string;
  /** 429 answers the job received (the goal is none; after one it waits the retry time). */
  rateLimited: number;
  returnTo: string;
  createdAt: number;
  finishedAt: number | null;
  /** While running: the rate budget the job may use, and when it should be done by that budget. */
  budget: { left: number; perWindow: number; windowSeconds: number } | null;
  etaSeconds: number | null;
  /** "about 18 minutes left", from the real budget; null when not running. */
  eta: string | null;
  /** The job that follows this one when it finishes; `url` once it has started. */
  next: { action: BulkAction; total: number; url: string | null } | null;
}

/** The budget the runner sees (its reserve taken off), for the estimate. */
export interface JobBudget {
  /** Calls the job may make now. */
  left: number;
  perWindow: number;
  windowMs: number;
}

/** Words for a wait: whole minutes, as a person would say it. */
export function describeEta(ms: number): string {
  if (ms < 60_000) return 'less than a minute left';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'} left`;
  return `about ${Math.round(minutes / 60)} hours left`;
}

export const JOB_ID = /^[0-9a-f]{32}$/;

/** Who keeps a job beyond this process (store/job-store.ts through the registry). */
export interface JobObserver {
  item(job: BulkJob, index: number, status: ItemStatus | 'sending', reason?: string): void;
  finish(job: BulkJob): void;
}

/** A job rebuilt from storage after a restart. */
export interface ResumedJob {
  id: string;
  items: BulkItem[];
  rateLimited: number;
  next?: NextJob;
}

export class BulkJob {
  readonly id: string;
  readonly items: BulkItem[];
  state: JobState = 'running';
  waitingUntil: number | null = null;
  rateLimited = 0;
  finishedAt: number | null = null;
  observer: JobObserver | undefined;
  /** Set by the registry once the next job has started. */
  nextJobId: string | null = null;
  /** Set by the runner: what the rate budget allows this job now. */
  budget: (() => JobBudget) | undefined;
  /** item → its position, for storage (a job can hold 20,000 items: no indexOf per change). */
  private readonly positions = new Map<BulkItem, number>();
  /** Aborted by cancel(): wakes a job that is waiting for its budget. */
  readonly abort = new AbortController();

  constructor(
    readonly user: SessionUser,
    readonly action: BulkAction,
    ids: readonly number[],
    readonly returnTo: string,
    readonly createdAt: number,
    resumed?: ResumedJob,
    readonly next: NextJob | undefined = resumed?.next,
  ) {
    this.id = resumed?.id ?? randomBytes(16).toString('hex');
    this.items = resumed?.items ?? ids.map((id) => ({ id, status: 'pending' }));
    this.rateLimited = resumed?.rateLimited ?? 0;
    this.items.forEach((item, i) => this.positions.set(item, i));
  }

  /** An item moves on (the runner calls this for every change, so storage follows). */
  mark(item: BulkItem, status: ItemStatus, reason?: string): void {
    item.status = status;
    if (reason !== undefined) item.reason = reason;
    this.observer?.item(this, this.positions.get(item) ?? -1, status, reason);
  }

  /** Its write is about to go out: if the answer is lost in a crash, a resumed job reads it back. */
  sending(item: BulkItem): void {
    this.observer?.item(this, this.positions.get(item) ?? -1, 'sending');
  }

  get cancelRequested(): boolean {
    return this.abort.signal.aborted;
  }

  cancel(): void {
    if (this.state === 'running') this.abort.abort();
  }

  /** The app is stopping: stop sending like cancel, but stay `running` (stored so), to resume. */
  pause(): void {
    this.pausing = true;
    this.cancel();
  }

  private pausing = false;

  /** Paused by a stop: it sends nothing more in this process (and resumes after a restart). */
  get paused(): boolean {
    return this.pausing;
  }

  /** The end: pending items become cancelled (never touched) when the job was cancelled. */
  finish(now: number): void {
    if (this.pausing) {
      this.waitingUntil = null;
      return;
    }
    if (this.cancelRequested) {
      for (const item of this.items) if (item.status === 'pending') item.status = 'cancelled';
    }
    this.state = this.cancelRequested ? 'cancelled' : 'finished';
    this.waitingUntil = null;
    this.finishedAt = now;
    this.observer?.finish(this);
  }

  view(now: number): BulkJobView {
    const counts: Record<ItemStatus, number> = { pending: 0, done: 0, already: 0, failed: 0, cancelled: 0 };
    for (const item of this.items) counts[item.status] += 1;
    const handled = this.items.length - counts.pending;
    const past = this.action === 'like' ? 'liked' : 'unliked';
    const parts = [`${counts.done} ${past}`, `${counts.already} already ${past}`, `${counts.failed} failed`];
    if (counts.cancelled > 0) parts.push(`${counts.cancelled} left as they were (cancelled)`);
    const running = this.state === 'running' && this.budget ? this.budget() : null;
    // Each pending item is one write; past what the budget allows now, one window per perWindow.
    const etaMs = running ? Math.max(0, counts.pending - running.left) / Math.max(1, running.perWindow) * running.windowMs : null;
    return {
      id: this.id,
      action: this.action,
      state: this.state,
      total: this.items.length,
      handled,
      counts,
      items: this.items.map((i) => ({ ...i })),
      failures: this.items.filter((i) => i.status === 'failed').map((i) => ({ id: i.id, reason: i.reason ?? 'unknown' })),
      waitingUntil: this.waitingUntil,
      waitSeconds: this.waitingUntil === null ? null : Math.max(1, Math.ceil((this.waitingUntil - now) / 1000)),
      summary: `${handled} of ${this.items.length} done: ${parts.join(', ')}.`,
      rateLimited: this.rateLimited,
      returnTo: this.returnTo,
      createdAt: this.createdAt,
      finishedAt: this.finishedAt,
      budget: running && { left: running.left, perWindow: running.perWindow, windowSeconds: running.windowMs / 1000 },
      etaSeconds: etaMs === null ? null : Math.ceil(etaMs / 1000),
      eta: etaMs === null ? null : describeEta(etaMs),
      next: this.next ? { action: this.next.action, total: this.next.ids.length, url: this.nextJobId && `/bulk/${this.nextJobId}` } : null,
    };
  }
}
