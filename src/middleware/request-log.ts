// One line per request, and only one: method, path without the query (a callback's ?code=
// must not reach the log), status and time. When the error handler answered, the same line
// carries the cleaned error (kind, operation) at warn (4xx) or error (5xx) level, so a
// failure is one line, never an access line plus an error line. No headers, no bodies (L1).
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

/** Set by the error handler: what went wrong, already reduced to loggable fields. */
export function noteFailure(res: Response, err: Record<string, unknown>): void {
  res.locals.failure = err;
}

export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let logged = false;
    const write = (aborted: boolean) => {
      if (logged) return;
      logged = true;
      const ms = Math.round((Number(process.hrtime.bigint() - started) / 1e6) * 10) / 10;
      const failure = res.locals.failure as Record<string, unknown> | undefined;
      const line = {
        method: req.method,
        path: req.originalUrl.split('?')[0].slice(0, 200),
        status: res.statusCode,
        ms,
        ...(failure ? { err: failure } : {}),
        ...(aborted ? { aborted: true } : {}),
      };
      if (aborted) logger.warn(line, 'request aborted');
      else if (res.statusCode >= 500) logger.error(line, 'request failed');
      else if (failure) logger.warn(line, 'request refused');
      else logger.info(line, 'request');
    };
    res.on('finish', () => write(false));
    // The client went away (or the socket was cut) before the answer was complete.
    res.on('close', () => write(!res.writableFinished));
    next();
  };
}
