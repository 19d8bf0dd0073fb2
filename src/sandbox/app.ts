// Wires the sandbox's Express app: control API and site pages first (never counted), then the
// recorded, rate-limited, faultable OAuth and API routes, then JSON 404 and error handlers.
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createApiRouter } from './api.js';
import { createControlRouter, type ControlDeps } from './control.js';
import { createFaultMiddleware, sleep, type FaultDeps } from './fault-middleware.js';
import { bearerToken, sendError } from './http.js';
import { createOAuthRouter, type OAuthDeps } from './oauth.js';
import { createRateLimitMiddleware, type RateLimiter } from './rate-limit.js';
import { createSiteRouter } from './site.js';

const VIEWS_DIR = path.join(import.meta.dirname, '..', '..', 'views', 'sandbox');

export interface AppDeps extends ControlDeps, OAuthDeps, FaultDeps {
  limiter: RateLimiter;
}

export function buildApp(deps: AppDeps): express.Express {
  const { state, now } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // Choice: no ETag/304 handling; clients always get a full answer.
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');

  app.use('/__sandbox', createControlRouter(deps));
  app.use(createSiteRouter(state));

  app.use((req, _res, next) => {
    state.record({ method: req.method, url: req.originalUrl, bearer: bearerToken(req) !== undefined, at: now() });
    next();
  });
  app.use(async (_req, _res, next) => {
    if (state.latencyMs > 0) await sleep(state.latencyMs);
    next();
  });
  // Bodies are parsed before the rate limit, which keys code exchanges on their client_id.
  app.use(express.urlencoded({ extended: false }), express.json());
  app.use(createRateLimitMiddleware(deps.limiter, deps.retryAfterHeader));
  app.use(createFaultMiddleware(deps));
  app.use(createOAuthRouter(deps));
  app.use(createApiRouter(state));

  app.use((req: Request, res: Response) => sendError(res, 404, `Not Found: ${req.method} ${req.path}`));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown }).status;
    if (res.headersSent) return void res.destroy();
    // Unparseable bodies are the client's fault (400); anything else is a sandbox bug (500).
    if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, status, 'Bad Request');
    sendError(res, 500, 'Internal Server Error');
  });
  return app;
}
