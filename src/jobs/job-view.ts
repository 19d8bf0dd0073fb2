// What the job page and its JSON poll see of a bulk job. Bounded whatever the job's size (an
// import can hold 20,000 things, and the page polls every second): the counts, the latest
// things changed, the first failures, and, only when a client asks with a cursor, one page of
// item results in the order they ended, so a client can still read every result.
import type { BulkAction, BulkItem, BulkJob, ItemStatus, JobState } from './bulk-job.js';

/** The latest changed things and the first failures a view lists. */
export const VIEW_SHOWN = 20;
/** Item results per page of `changes`. */
export const CHANGES_PAGE = 1000;

export interface BulkJobView {
  id: string;
  action: BulkAction;
  state: JobState;
  total: number;
  /** Items that reached an end state (done + already + failed + cancelled). */
  handled: number;
  counts: Record<ItemStatus, number>;
  /** The things this job changed (done), newest first, at most VIEW_SHOWN; counts.done says how many in all. */
  changed: number[];
  /** The first failures, at most VIEW_SHOWN; counts.failed says how many in all. */
  failures: { id: number; reason: string }[];
  /** Only when asked (`after`): item results after that cursor, in the order they ended. */
  changes?: ChangesPage;
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

/**
 * Item results [after, cursor). Pass `cursor` as the next `after`; `more` says there are
 * results past it already. A cursor counts results of this process: after a restart a
 * client reads from 0 again (the resumed job lists what was done before it first).
 */
export interface ChangesPage {
  after: number;
  cursor: number;
  more: boolean;
  items: BulkItem[];
}

/** Words for a wait: whole minutes, as a person would say it. */
export function describeEta(ms: number): string {
  if (ms < 60_000) return 'less than a minute left';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'} left`;
  return `about ${Math.round(minutes / 60)} hours left`;
}

export function viewOf(job: BulkJob, now: number, opts: { after?: number } = {}): BulkJobView {
  const counts: Record<ItemStatus, number> = { pending: 0, done: 0, already: 0, failed: 0, cancelled: 0 };
  for (const item of job.items) counts[item.status] += 1;
  const handled = job.items.length - counts.pending;
  const past = job.action === 'like' ? 'liked' : 'unliked';
  const parts = [`${counts.done} ${past}`, `${counts.already} already ${past}`, `${counts.failed} failed`];
  if (counts.cancelled > 0) parts.push(`${counts.cancelled} left as they were (cancelled)`);
  const running = job.state === 'running' && job.budget ? job.budget() : null;
  // Each pending item is one write; past what the budget allows now, one window per perWindow.
  const etaMs = running ? Math.max(0, counts.pending - running.left) / Math.max(1, running.perWindow) * running.windowMs : null;
  const ended = job.ended;
  const changed: number[] = [];
  for (let i = ended.length - 1; i >= 0 && changed.length < VIEW_SHOWN; i--) if (ended[i]!.status === 'done') changed.push(ended[i]!.id);
  const failures: { id: number; reason: string }[] = [];
  for (const item of job.items) {
    if (failures.length >= VIEW_SHOWN) break;
    if (item.status === 'failed') failures.push({ id: item.id, reason: item.reason ?? 'unknown' });
  }
  return {
    id: job.id,
    action: job.action,
    state: job.state,
    total: job.items.length,
    handled,
    counts,
    changed,
    failures,
    ...(opts.after === undefined ? {} : { changes: changesAfter(ended, opts.after) }),
    waitingUntil: job.waitingUntil,
    waitSeconds: job.waitingUntil === null ? null : Math.max(1, Math.ceil((job.waitingUntil - now) / 1000)),
    summary: `${handled} of ${job.items.length} done: ${parts.join(', ')}.`,
    rateLimited: job.rateLimited,
    returnTo: job.returnTo,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    budget: running && { left: running.left, perWindow: running.perWindow, windowSeconds: running.windowMs / 1000 },
    etaSeconds: etaMs === null ? null : Math.ceil(etaMs / 1000),
    eta: etaMs === null ? null : describeEta(etaMs),
    next: job.next ? { action: job.next.action, total: job.next.ids.length, url: job.nextJobId && `/bulk/${job.nextJobId}` } : null,
  };
}

function changesAfter(ended: readonly BulkItem[], after: number): ChangesPage {
  const from = Math.min(after, ended.length);
  const items = ended.slice(from, from + CHANGES_PAGE).map((i) => ({ ...i }));
  const cursor = from + items.length;
  return { after: from, cursor, more: cursor < ended.length, items };
}
