// The one way a logged-in session ends: logout, the absolute timeout (S3) and a token that
// Thingiverse no longer accepts all come here. The user's bulk jobs stop first, and their
// writes already in flight finish (bounded), so no request with the token leaves afterwards;
// then the session id ends for good (the store tombstones it: S4).
import type { Request } from 'express';
import type { BulkJobs } from '../jobs/registry.js';

export type EndSession = (req: Request, how: 'destroy' | 'regenerate') => Promise<void>;

export function createEndSession(jobs: BulkJobs, waitMs: number): EndSession {
  return async (req, how) => {
    const userId = req.session?.user?.id;
    if (typeof userId === 'number') await jobs.stopUser(userId, waitMs);
    if (!req.session) return;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: unknown) => (err ? reject(err) : resolve());
      // regenerate when the rest of this request may still write a (fresh) session.
      if (how === 'regenerate') req.session.regenerate(done);
      else req.session.destroy(done);
    });
  };
}
