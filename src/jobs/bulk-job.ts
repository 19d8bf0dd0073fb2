// One bulk like/unlike job: what the user asked for, where each thing stands, and in which
// order things ended (job-view.ts builds the status page's and the poll's view from it). The
// runner (runner.ts) moves items on; nothing here talks to Thingiverse.
import { randomBytes } from 'node:crypto';
import type { SessionUser } from '../middleware/session.js';
import { viewOf, type BulkJobView } from './job-view.js';

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

/** The budget the runner sees (its reserve taken off), for the estimate. */
export interface JobBudget {
  /** Calls the job may make now. */
  left: number;
  perWindow: number;
  windowMs: number;
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
  /** Items in the order they reached an end state (those ended before a restart first), for the poll's cursor. */
  readonly ended: BulkItem[];
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
    this.ended = this.items.filter((i) => i.status !== 'pending');
  }

  /** An item moves on (the runner calls this for every change, so storage follows). */
  mark(item: BulkItem, status: ItemStatus, reason?: string): void {
    if (item.status === 'pending' && status !== 'pending') this.ended.push(item);
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
      for (const item of this.items) {
        if (item.status !== 'pending') continue;
        item.status = 'cancelled';
        this.ended.push(item);
      }
    }
    this.state = this.cancelRequested ? 'cancelled' : 'finished';
    this.waitingUntil = null;
    this.finishedAt = now;
    this.observer?.finish(this);
  }

  /** `after`: also one page of item results after that cursor (see job-view.ts). */
  view(now: number, opts: { after?: number } = {}): BulkJobView {
    return viewOf(this, now, opts);
  }
}
