// Bulk like/unlike: POST /bulk starts a job (see src/jobs), GET /bulk/:jobId shows its
// progress (a page that refreshes itself without JavaScript, JSON for the page's script and
// for other clients; both bounded, and ?after=<cursor> pages through every item's result),
// POST /bulk/:jobId/cancel stops it. Only the owner can see or cancel a
// job; anyone else gets the same 404 as for a job that does not exist.
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { BulkJobs } from '../jobs/registry.js';
import type { BulkAction, BulkJob } from '../jobs/bulk-job.js';
import { badRequest, HttpError } from '../errors.js';
import { parseThingId, safeReturnTo } from '../middleware/params.js';
import { requireLogin, wantsJson, loginOf } from '../middleware/require-login.js';
import { requireCsrfToken, csrfToken } from '../middleware/csrf.js';

/** `ids` as sent by checkboxes: one string, or a list; each must pass parseThingId. */
export function parseIds(raw: unknown, max: number): number[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw badRequest('Select at least one thing first.');
  if (list.length > max) throw badRequest(`At most ${max} things at a time, please.`);
  return [...new Set(list.map((id) => parseThingId(id)))];
}

function parseAction(raw: unknown): BulkAction {
  if (raw === 'like' || raw === 'unlike') return raw;
  throw badRequest('Choose Like or Unlike.');
}

/** `after` of the JSON poll: the cursor its last answer gave, or absent. */
function parseCursor(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && /^\d{1,9}$/.test(raw)) return Number(raw);
  throw badRequest('after must be a whole number: the cursor of the previous answer (0 to start).');
}

const notFound = () => new HttpError(404, 'There is no bulk job at this address (or it has expired).', 'Job not found');

export function createBulkRouter(deps: { jobs: BulkJobs }): Router {
  const router = Router();
  const url = (job: BulkJob) => `/bulk/${job.id}`;

  function ownJob(req: Request): BulkJob {
    const job = deps.jobs.get(loginOf(req).user.id, String(req.params.jobId));
    if (!job) throw notFound();
    return job;
  }

  router.post('/bulk', requireLogin, requireCsrfToken, (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    res.locals.backTo = returnTo;
    const action = parseAction(body.action);
    const ids = parseIds(body.ids, deps.jobs.options.maxIds);
    const { user, token } = loginOf(req);
    const result = deps.jobs.start(user, token, action, ids, returnTo);
    if (!result.started) {
      const message = 'You already have a bulk job running. Let it finish (or cancel it) before you start another.';
      if (wantsJson(req)) return res.status(409).json({ error: 'job_running', message, id: result.running.id, url: url(result.running) });
      req.session.flash = { kind: 'error', text: message };
      return res.redirect(303, url(result.running));
    }
    if (wantsJson(req)) return res.status(202).location(url(result.job)).json({ ...result.job.view(deps.jobs.now()), url: url(result.job) });
    res.redirect(303, url(result.job));
  });

  router.get('/bulk/:jobId', requireLogin, (req, res) => {
    const job = ownJob(req);
    const after = parseCursor(req.query.after);
    const view = job.view(deps.jobs.now(), { after });
    res.set('Cache-Control', 'private, no-store');
    if (wantsJson(req)) return res.json(view);
    res.render('bulk', {
      title: view.state === 'running' ? `${view.handled} of ${view.total} · ${verb(view.action)}` : 'Bulk action finished',
      job: view,
      csrf: csrfToken(req),
      backTo: view.returnTo,
      // Without JavaScript the page reloads itself while the job runs (inside <noscript>).
      refreshSeconds: view.state === 'running' ? 2 : null,
    });
  });

  router.post('/bulk/:jobId/cancel', requireLogin, requireCsrfToken, (req, res) => {
    const job = ownJob(req);
    job.cancel();
    if (wantsJson(req)) return res.json(job.view(deps.jobs.now()));
    if (job.state === 'running') req.session.flash = { kind: 'ok', text: 'Cancelling: things already sent finish, the rest stay as they were.' };
    res.redirect(303, url(job));
  });

  // POST /bulk/:jobId/retry: a new job of the same kind for the things that failed (a 429
  // storm, Thingiverse down for a while), once the job has ended.
  router.post('/bulk/:jobId/retry', requireLogin, requireCsrfToken, (req, res) => {
    const job = ownJob(req);
    const failed = job.items.filter((i) => i.status === 'failed').map((i) => i.id);
    if (job.state === 'running') throw badRequest('This job is still running; retry its failures when it has finished.');
    if (failed.length === 0) throw badRequest('Nothing failed in this job, so there is nothing to retry.');
    const { user, token } = loginOf(req);
    const result = deps.jobs.start(user, token, job.action, failed, job.returnTo);
    const next = result.started ? result.job : result.running;
    if (wantsJson(req)) {
      return res.status(result.started ? 202 : 409).location(url(next)).json({ ...next.view(deps.jobs.now()), url: url(next) });
    }
    if (!result.started) req.session.flash = { kind: 'error', text: 'You already have a bulk job running. Let it finish (or cancel it) first.' };
    res.redirect(303, url(next));
  });

  return router;
}

export const verb = (action: BulkAction) => (action === 'like' ? 'Liking' : 'Unliking');
