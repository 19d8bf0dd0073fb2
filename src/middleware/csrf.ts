// CSRF defence for every state-changing request (C1): a synchronizer token kept in the
// session (csrf-sync), carried in a hidden form field or the x-csrf-token header, plus a
// Fetch Metadata / Origin check that refuses cross-site requests outright.
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';

const sync = csrfSync({
  size: 32,
  getTokenFromRequest: (req) => {
    const field = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof field === 'string') return field;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
});

export class ForbiddenRequestError extends Error {
  readonly status = 403;
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenRequestError';
  }
}

/** A token for forms on this page, created on demand (so anonymous pages set no cookie). */
export function csrfToken(req: Request, fresh = false): string {
  return sync.generateToken(req, fresh);
}

export function sameOriginOnly(publicUrl: string) {
  const origin = new URL(publicUrl).origin;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const site = req.get('sec-fetch-site');
    if (site) {
      if (site === 'same-origin' || site === 'none') return next();
      return next(new ForbiddenRequestError('This request came from another site and was refused.'));
    }
    // No Fetch Metadata (older browser, script): fall back to Origin. Under our
    // Referrer-Policy: no-referrer, browsers send `Origin: null` on form posts, so "null"
    // proves nothing either way; the CSRF token or OAuth state still has to match.
    const from = req.get('origin');
    if (from && from !== 'null' && from !== origin) {
      return next(new ForbiddenRequestError('This request came from another site and was refused.'));
    }
    next();
  };
}

export function requireCsrfToken(req: Request, _res: Response, next: NextFunction) {
  if (req.session && sync.isRequestValid(req)) return next();
  next(new ForbiddenRequestError('This form has expired or did not come from this app. Reload the page and try again.'));
}
