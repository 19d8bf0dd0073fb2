// Turns a confirmed import plan into bulk jobs (src/jobs/registry.ts). A job does one action,
// and a user runs one job at a time, so "match the file" is two jobs in a row: the likes,
// then (if the likes job finished and was not cancelled) the unlikes, as the likes job's
// stored next job (src/jobs/registry.ts), so a restart in between does not lose it.
// Files list the most recent like first (as this app exports them): likes are sent oldest
// first, so Thingiverse's order ends up close to the file's (the job sends a few at once).
import type { BulkJobs } from '../jobs/registry.js';
import type { SessionUser } from '../middleware/session.js';
import type { PendingPlan } from '../store/pending-imports.js';

export interface StartedImport {
  /** Where to send the browser: the (first) job's page, or the liked page when there is nothing to do. */
  url: string;
  flash: { kind: 'ok' | 'error'; text: string };
}

const RETURN_TO = '/liked';

export function startImportJobs(jobs: BulkJobs, user: SessionUser, token: string, plan: PendingPlan): StartedImport {
  const toLike = [...plan.toLike].reverse();
  const first = toLike.length > 0 ? ('like' as const) : plan.toUnlike.length > 0 ? ('unlike' as const) : null;
  if (first === null) return { url: RETURN_TO, flash: { kind: 'ok', text: 'Nothing to do: your likes already match the file.' } };
  const next = first === 'like' && plan.toUnlike.length > 0 ? { action: 'unlike' as const, ids: plan.toUnlike } : undefined;
  const result = jobs.start(user, token, first, first === 'like' ? toLike : plan.toUnlike, RETURN_TO, next);
  if (!result.started) {
    return {
      url: `/bulk/${result.running.id}`,
      flash: { kind: 'error', text: 'You already have a bulk job running. Let it finish (or cancel it), then import again.' },
    };
  }
  const job = result.job;
  if (next) {
    return { url: `/bulk/${job.id}`, flash: { kind: 'ok', text: `Importing: liking ${job.items.length} things first, then unliking ${plan.toUnlike.length} (the second job starts when this one is done; this page links to it).` } };
  }
  return { url: `/bulk/${job.id}`, flash: { kind: 'ok', text: `Importing: ${first === 'like' ? 'liking' : 'unliking'} ${job.items.length} things.` } };
}
