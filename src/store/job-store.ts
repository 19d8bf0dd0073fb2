// Bulk jobs in SQLite, so a job outlives a restart: what it was asked to do, where each thing
// stands, and how it ended. An item is marked `sending` before its write goes out; after a
// crash or a cut stop, such an item may or may not have reached Thingiverse, so the resumed
// job reads the thing back before it writes anything (no write is sent twice). The token is
// not stored here: a resumed job takes the one of its user's live session (session-store.ts).
// A job's next job (match mode's unlikes) is stored with it and removed in the transaction
// that creates that next job, so it starts once, even if the process dies in between.
import type { Db } from './db.js';
import type { SessionUser } from '../middleware/session.js';
import type { BulkAction, BulkItem, ItemStatus, JobState, NextJob } from '../jobs/bulk-job.js';
import { WriteBehind } from './write-behind.js';

export interface StoredJob {
  id: string;
  user: SessionUser;
  action: BulkAction;
  returnTo: string;
  state: JobState;
  createdAt: number;
  finishedAt: number | null;
  rateLimited: number;
  /** In the job's order; `sending` = its write may have gone out unanswered. */
  items: (Omit<BulkItem, 'status'> & { status: ItemStatus | 'sending' })[];
  next?: NextJob;
}

/** A finished job whose next job never started (the process stopped in between). */
export interface WaitingNext {
  jobId: string;
  user: SessionUser;
  returnTo: string;
  next: NextJob;
}

export class JobStore {
  private readonly stmts;
  private readonly writes = new WriteBehind();

  constructor(private readonly db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL, user TEXT NOT NULL,
      action TEXT NOT NULL, return_to TEXT NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL,
      finished_at INTEGER, rate_limited INTEGER NOT NULL DEFAULT 0) STRICT`);
    db.exec('CREATE INDEX IF NOT EXISTS jobs_user ON jobs(user_id, created_at)');
    db.exec(`CREATE TABLE IF NOT EXISTS job_items (job_id TEXT NOT NULL, position INTEGER NOT NULL,
      thing_id INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT, PRIMARY KEY (job_id, position)) STRICT, WITHOUT ROWID`);
    db.exec('CREATE TABLE IF NOT EXISTS job_next (job_id TEXT PRIMARY KEY, action TEXT NOT NULL, ids TEXT NOT NULL) STRICT');
    this.stmts = {
      insertJob: db.prepare(`INSERT INTO jobs (id, user_id, user, action, return_to, state, created_at)
        VALUES (@id, @userId, @user, @action, @returnTo, 'running', @createdAt)`),
      insertItem: db.prepare('INSERT INTO job_items (job_id, position, thing_id, status) VALUES (?, ?, ?, ?)'),
      setItem: db.prepare('UPDATE job_items SET status = ?, reason = ? WHERE job_id = ? AND position = ?'),
      finish: db.prepare('UPDATE jobs SET state = ?, finished_at = ?, rate_limited = ? WHERE id = ?'),
      cancelPending: db.prepare("UPDATE job_items SET status = 'cancelled' WHERE job_id = ? AND status IN ('pending', 'sending')"),
      running: db.prepare<[], JobRow>("SELECT * FROM jobs WHERE state = 'running' ORDER BY created_at"),
      items: db.prepare<[string], ItemRow>('SELECT thing_id, status, reason FROM job_items WHERE job_id = ? ORDER BY position'),
      insertNext: db.prepare('INSERT INTO job_next (job_id, action, ids) VALUES (?, ?, ?)'),
      next: db.prepare<[string], NextRow>('SELECT action, ids FROM job_next WHERE job_id = ?'),
      dropNext: db.prepare('DELETE FROM job_next WHERE job_id = ?'),
      waitingNext: db.prepare<[], JobRow & { next_action: string; ids: string }>(`SELECT jobs.*, job_next.action AS next_action, job_next.ids
        FROM job_next JOIN jobs ON jobs.id = job_next.job_id WHERE jobs.state = 'finished' ORDER BY jobs.created_at`),
      prune: db.prepare("DELETE FROM jobs WHERE state != 'running' AND finished_at < ?"),
      pruneItems: db.prepare('DELETE FROM job_items WHERE job_id NOT IN (SELECT id FROM jobs)'),
      pruneNext: db.prepare('DELETE FROM job_next WHERE job_id NOT IN (SELECT id FROM jobs)'),
    };
  }

  /** `after`: the job this one follows; its stored next job is used up in the same transaction. */
  create(job: { id: string; user: SessionUser; action: BulkAction; returnTo: string; createdAt: number; items: BulkItem[]; next?: NextJob }, after?: string): void {
    this.db.transaction(() => {
      this.stmts.insertJob.run({ id: job.id, userId: job.user.id, user: JSON.stringify(job.user), action: job.action, returnTo: job.returnTo, createdAt: job.createdAt });
      job.items.forEach((item, i) => this.stmts.insertItem.run(job.id, i, item.id, item.status));
      if (job.next) this.stmts.insertNext.run(job.id, job.next.action, JSON.stringify(job.next.ids));
      if (after !== undefined) this.stmts.dropNext.run(after);
    })();
  }

  /** The job ended without finishing (cancelled): its next job will never start. */
  dropNext(jobId: string): void {
    this.writes.run(`job:${jobId}`, () => this.stmts.dropNext.run(jobId));
  }

  /** Next jobs whose first job finished but that never started, oldest first. */
  waitingNext(): WaitingNext[] {
    return this.stmts.waitingNext.all().map((row) => ({
      jobId: row.id, user: JSON.parse(row.user) as SessionUser, returnTo: row.return_to, next: toNext({ action: row.next_action, ids: row.ids }),
    }));
  }

  /** Written in order per job; a busy database delays it, never stalls the server. */
  setItem(jobId: string, position: number, status: ItemStatus | 'sending', reason?: string): void {
    this.writes.run(`job:${jobId}`, () => this.stmts.setItem.run(status, reason ?? null, jobId, position));
  }

  /** The end of a job; a cancelled one's untouched items become `cancelled` in the same step
   * (one statement, not one per item: a cancelled 20,000-thing import is one write). */
  finish(jobId: string, state: JobState, finishedAt: number, rateLimited: number): void {
    this.writes.run(`job:${jobId}`, () => this.db.transaction(() => {
      if (state === 'cancelled') this.stmts.cancelPending.run(jobId);
      this.stmts.finish.run(state, finishedAt, rateLimited, jobId);
    })());
  }

  /** Jobs a stop interrupted, oldest first, to resume. */
  unfinished(): StoredJob[] {
    return this.stmts.running.all().map((row) => {
      const next = this.stmts.next.get(row.id);
      return {
        id: row.id,
        user: JSON.parse(row.user) as SessionUser,
        action: row.action as BulkAction,
        returnTo: row.return_to,
        state: 'running' as const,
        createdAt: row.created_at,
        finishedAt: null,
        rateLimited: row.rate_limited,
        items: this.stmts.items.all(row.id).map((i) => ({ id: i.thing_id, status: i.status as ItemStatus | 'sending', ...(i.reason ? { reason: i.reason } : {}) })),
        ...(next ? { next: toNext(next) } : {}),
      };
    });
  }

  prune(finishedBefore: number): void {
    this.writes.run('prune', () => this.db.transaction(() => {
      this.stmts.prune.run(finishedBefore);
      this.stmts.pruneItems.run();
      this.stmts.pruneNext.run();
    })());
  }

  close(): void {
    this.writes.close();
  }
}

interface JobRow { id: string; user: string; action: string; return_to: string; created_at: number; rate_limited: number }
interface ItemRow { thing_id: number; status: string; reason: string | null }
interface NextRow { action: string; ids: string }

const toNext = (row: { action: string; ids: string }): NextJob => ({ action: row.action as BulkAction, ids: JSON.parse(row.ids) as number[] });
