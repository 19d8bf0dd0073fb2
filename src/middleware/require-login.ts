// Gate for pages and actions that need a Thingiverse user. Also enforces the absolute
// session lifetime (S3): activity keeps the idle timer rolling, but not forever.
import type { NextFunction, Request, Response } from 'express';
import type { EndSession } from '../auth/end-session.js';
import type { SessionUser } from './session.js';
import { HttpError } from '../errors.js';

export function enforceAbsoluteTimeout(maxAgeMs: number, endSession: EndSession, now: () => number = Date.now) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const authAt = req.session?.authAt;
    if (authAt !== undefined && now() - authAt > maxAgeMs) {
      // regenerate, not destroy: later middleware may still write to a (fresh) session.
      endSession(req, 'regenerate').then(() => next(), next);
      return;
    }
    next();
  };
}

/** Who is logged in, and with which token: what a route behind requireLogin works with. */
export interface Login {
  user: SessionUser;
  token: string;
}

type LoggedInRequest = Request & { session: Request['session'] & Login };

/** A token and a user of the right types: a session row damaged on disk reads as logged out. */
export function isLoggedIn(req: Request): req is LoggedInRequest {
  const s = req.session;
  return typeof s?.token === 'string' && s.token.length > 0 && typeof s.user === 'object' && s.user !== null
    && typeof s.user.id === 'number' && typeof s.user.name === 'string' && typeof s.user.displayName === 'string';
}

/**
 * The login of a request that passed requireLogin (typed: no `session.user!` in routes). A
 * route that forgot requireLogin gets a 401, never a crash on undefined.
 */
export function loginOf(req: Request): Login {
  if (!isLoggedIn(req)) throw new HttpError(401, 'You need to log in with Thingiverse to do that.', 'Please log in');
  return { user: req.session.user, token: req.session.token };
}

export function requireLogin(req: Request, res: Response, next: NextFunction) {
  if (isLoggedIn(req)) return next();
  if (wantsJson(req)) {
    res.status(401).json({ error: 'not_logged_in', message: 'Log in with Thingiverse first.' });
    return;
  }
  res.status(401).render('error', {
    title: 'Please log in',
    message: 'You need to log in with Thingiverse to do that.',
    showLogin: true,
  });
}

export function wantsJson(req: Request): boolean {
  const accept = req.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
