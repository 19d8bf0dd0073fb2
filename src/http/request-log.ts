// One line per request: method, path without the query (a callback's ?code= must not reach
// the log), status and time. No headers, no bodies (L1).
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path: req.originalUrl.split('?')[0].slice(0, 200), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
