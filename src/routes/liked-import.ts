// GET /liked/import: the import form. The file travels as the text of a <textarea> in an
// ordinary urlencoded form (the app has no multipart parser; a small script fills the
// textarea from a file input, and without JavaScript the text is pasted). POST /liked/import
// reads it and shows a preview; nothing is sent to Thingiverse until POST /liked/import/confirm
// starts the bulk job(s). "Unlike what is not in the file" needs its own tick with the count.
import { Router } from 'express';
import type { Request } from 'express';
import type { LikedDeps } from './liked.js';
import { IMPORT_LIMITS, ImportFileError, parseImport, planImport, type ParsedImport } from '../likes/import-format.js';
import { startImportJobs } from '../likes/import-jobs.js';
import { thousands } from '../likes/ago.js';
import { HttpError, badRequest } from '../errors.js';
import { requireLogin, loginOf } from '../middleware/require-login.js';
import { csrfToken, requireCsrfToken } from '../middleware/csrf.js';

const SHOWN = 20;

function readFile(req: Request): ParsedImport {
  const text = (req.body as Record<string, unknown> | undefined)?.file;
  if (typeof text !== 'string' || text.trim() === '') throw badRequest('Choose a file or paste its text first.');
  try {
    return parseImport(Buffer.from(text, 'utf8'));
  } catch (err) {
    if (!(err instanceof ImportFileError)) throw err;
    const where = err.line === undefined ? '' : `Line ${err.line}: `;
    const status = /larger than/.test(err.message) ? 413 : 400;
    throw new HttpError(status, `${where}${err.message} Nothing was sent to Thingiverse.`, 'That file cannot be imported');
  }
}

export function createLikedImportRouter(deps: LikedDeps): Router {
  const router = Router();
  const { refresher, pendingImports: pending } = deps;

  router.get('/liked/import', requireLogin, (req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.render('import', { title: 'Import likes', csrf: csrfToken(req), limits: IMPORT_LIMITS });
  });

  router.post('/liked/import', requireLogin, requireCsrfToken, async (req, res) => {
    res.locals.backTo = '/liked/import';
    const parsed = readFile(req);
    const match = (req.body as Record<string, unknown>).match === '1';
    const { user, token } = loginOf(req);
    // The preview compares with what Thingiverse lists now, not with a stale copy.
    await refresher.ensureComplete(user, token);
    const plan = planImport(parsed.ids, refresher.index.ids(user.id), { match });
    const entry = pending.put(user.id, plan, match);
    res.set('Cache-Control', 'private, no-store');
    res.render('import-preview', {
      title: 'Import preview',
      csrf: csrfToken(req),
      importId: entry.id,
      format: parsed.format,
      inFile: parsed.ids.length,
      plan, match,
      refused: parsed.refused.slice(0, SHOWN),
      refusedCount: parsed.refused.length,
      sample: plan.toLike.slice(0, SHOWN),
    });
  });

  router.post('/liked/import/confirm', requireLogin, requireCsrfToken, (req, res) => {
    res.locals.backTo = '/liked/import';
    const body = req.body as Record<string, unknown>;
    const { user, token } = loginOf(req);
    const entry = pending.get(user.id, body.import);
    if (!entry) throw new HttpError(404, 'This import preview has expired or was already used. Upload the file again.', 'Import not found');
    if (entry.match && entry.plan.toUnlike.length > 0 && body.confirmUnlike !== '1') {
      throw badRequest(`Tick “Yes, unlike ${thousands(entry.plan.toUnlike.length)} things” to make your likes match the file, or preview again without that option.`);
    }
    pending.delete(user.id);
    const started = startImportJobs(deps.jobs, user, token, entry.plan);
    req.session.flash = started.flash;
    res.redirect(303, started.url);
  });

  return router;
}
