// A request can load a session, wait on Thingiverse, and finish after that session ended in
// another request (logout in a second tab, a dead token, the absolute timeout). The store
// already refuses to write an ended id back; this also keeps express-session from sending
// the browser a fresh cookie for it (S4). Mounted right after the session middleware, so its
// wrappers run before express-session's own (they wrap what is there when they are set).
import type { NextFunction, Request, Response } from 'express';

export interface EndedSessions {
  isEnded(sid: string): boolean;
}

export function endedSessionGuard(store: EndedSessions) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Only a session loaded from the store can have been ended elsewhere; a fresh one has
    // an id nobody else knows.
    if (!req.session || !req.headers.cookie) return next();
    const sid = req.sessionID;
    let checked = false;
    const drop = () => {
      if (checked) return;
      checked = true;
      // Same id still on the request (not regenerated here) and ended elsewhere: forget it.
      if (req.session && req.sessionID === sid && store.isEnded(sid)) {
        delete (req as { session?: unknown }).session;
      }
    };
    const { end, writeHead } = res;
    res.end = function (this: Response, ...args: unknown[]) {
      drop();
      return (end as (...a: unknown[]) => Response).apply(this, args);
    } as Response['end'];
    res.writeHead = function (this: Response, ...args: unknown[]) {
      drop();
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    next();
  };
}
