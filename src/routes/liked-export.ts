// GET /liked/export?format=json|csv: every liked thing as a download, streamed from the index
// after a check that the index holds what Thingiverse lists (a likesids read, a refresh if
// they differ). When Thingiverse cannot be reached the download is what the index has, and
// says so: "as_of" in the JSON, the X-Likes-As-Of header for both, and the file name.
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { LikedDeps } from './liked.js';
import type { PositionedThing } from '../store/liked-index.js';
import { exportCsv, exportJson, type ExportThing } from '../likes/export-format.js';
import { badRequest } from '../errors.js';
import { requireLogin, loginOf } from '../middleware/require-login.js';
import { isUpstreamError } from '../thingiverse/errors.js';

/** Failures that mean "Thingiverse is not there right now", not "you may not". */
const UNREACHABLE = new Set(['unavailable', 'timeout', 'rate_limited', 'bad_response']);

const TYPES = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

function toExport(t: PositionedThing): ExportThing {
  return {
    id: t.id,
    name: t.name ?? '',
    url: t.url ?? `https://www.thingiverse.com/thing:${t.id}`,
    creator: t.creator ?? '',
    thumbnail: t.thumbnail,
    like_count: t.likeCount,
    liked_position: t.position,
  };
}

function* rows(source: Iterable<PositionedThing>): Iterable<ExportThing> {
  for (const t of source) yield toExport(t);
}

/** thingiverse-likes-<user>-<YYYY-MM-DD>.<ext>; the user name passed the app's username rule at login. */
export function exportFileName(user: string, at: Date, ext: 'json' | 'csv'): string {
  return `thingiverse-likes-${user.replace(/[^A-Za-z0-9_.-]/g, '_')}-${at.toISOString().slice(0, 10)}.${ext}`;
}

export function createLikedExportRouter(deps: LikedDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const { refresher } = deps;

  router.get('/liked/export', requireLogin, async (req, res) => {
    const format = req.query.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw badRequest('Export as format=json or format=csv.');
    const { user, token } = loginOf(req);
    let asOf: Date | null = null;
    try {
      await refresher.ensureComplete(user, token);
    } catch (err) {
      const refreshedAt = refresher.index.meta(user.id).refreshedAt;
      // Nothing to fall back on (never filled), or not an outage (a dead login): the error page.
      if (!isUpstreamError(err) || !UNREACHABLE.has(err.kind) || refreshedAt === null) throw err;
      asOf = new Date(refreshedAt);
    }
    const exportedAt = new Date(now());
    res.set('Cache-Control', 'private, no-store');
    res.type(TYPES[format]);
    res.attachment(exportFileName(user.name, exportedAt, format));
    if (asOf) res.set('X-Likes-As-Of', asOf.toISOString());
    const things = rows(refresher.index.all(user.id));
    const body = format === 'json'
      ? exportJson({ user: user.name, exportedAt, count: refresher.index.count(user.id), asOf }, things)
      : exportCsv(things);
    // Chunk by chunk, waiting for the socket to drain: memory stays flat whatever the count.
    await pipeline(Readable.from(body, { objectMode: false }), res);
  });

  return router;
}
