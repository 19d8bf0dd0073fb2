// Our own 404 and the final error handler (E1): a friendly page (or JSON for scripts),
// never a stack trace, and the cleaned error handed to the request's one log line.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';
import type { EndSession } from '../auth/end-session.js';
import { noteFailure } from './request-log.js';
import { errorFields } from '../logger.js';
import { isUpstreamError } from '../thingiverse/errors.js';
import { HttpError, describeUpstream, type ErrorCode } from '../errors.js';
import { ForbiddenRequestError } from './csrf.js';
import { wantsJson } from './require-login.js';

export function notFound(_req: Request, _res: Response, next: NextFunction) {
  next(new HttpError(404, 'There is no page at this address.', 'Page not found'));
}

interface MappedError {
  status: number;
  title: string;
  message: string;
  retryAfter?: number;
  logout?: boolean;
  code: ErrorCode;
}

function describe(err: unknown): MappedError {
  if (isUpstreamError(err)) return describeUpstream(err, 'page');
  if (err instanceof HttpError) return { status: err.status, title: err.title, message: err.message, code: err.errorCode };
  if (err instanceof ForbiddenRequestError) return { status: 403, title: 'Request refused', message: err.message, code: 'request_failed' };
  const status = (err as { status?: unknown; type?: unknown })?.status;
  // body-parser errors carry a status: too large (413), malformed JSON (400), bad charset (415).
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = status === 413 ? 'That request was too large.' : 'That request could not be read.';
    return { status, title: 'That request was not understood', message, code: 'request_failed' };
  }
  return { status: 500, title: 'Something went wrong', message: 'Something went wrong on our side. Please try again.', code: 'request_failed' };
}

export function errorHandler(logger: Logger, endSession: EndSession) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    noteFailure(res, errorFields(err));
    if (res.headersSent) {
      // Too late for an error page. Express's default handler would cut the connection too,
      // but it also prints err.stack to stderr: do the cut here and keep the log clean.
      req.socket.destroy();
      return;
    }
    const mapped = describe(err);
    const send = () => {
      if (mapped.retryAfter) res.set('Retry-After', String(mapped.retryAfter));
      res.status(mapped.status);
      if (wantsJson(req)) {
        // `unconfirmed`: a like/unlike may or may not have happened; scripts must re-read the state.
        const unconfirmed = isUpstreamError(err) && err.ambiguous ? { unconfirmed: true } : {};
        res.json({ error: mapped.code, message: mapped.message, retryAfter: mapped.retryAfter, ...unconfirmed });
        return;
      }
      // Errors can happen before pageLocals ran (or after logout): give the layout safe defaults.
      const locals = { user: null, mode: null, flash: null, bye: false, backTo: null, logoutCsrf: () => null, loginHref: '/login', ...res.locals };
      if (mapped.logout) locals.user = null;
      res.render('error', { ...locals, title: mapped.title, message: mapped.message, showLogin: mapped.logout === true }, (renderErr, html) => {
        if (renderErr) {
          logger.error({ err: errorFields(renderErr) }, 'error page failed to render');
          res.type('text/plain').send(mapped.message);
          return;
        }
        res.send(html);
      });
    };
    if (mapped.logout && req.session) {
      // The token is dead: end the session and the user's jobs, keep nothing of it (G3).
      endSession(req, 'regenerate').then(send, send);
      return;
    }
    send();
  };
}
