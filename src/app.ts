// createApp(config, services): the whole web app, without listening. It only mounts: every
// long-lived part comes built from services.ts, and server.ts decides where it listens.
import path from 'node:path';
import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Config } from './config.js';
import type { Services } from './services.js';
import { JOB_STOP_WAIT_MS } from './services.js';
import { createSessionMiddleware } from './middleware/session.js';
import { safeReturnTo } from './middleware/params.js';
import { endedSessionGuard } from './middleware/ended-session-guard.js';
import { createEndSession } from './auth/end-session.js';
import { securityHeaders } from './middleware/security-headers.js';
import { requestLog } from './middleware/request-log.js';
import { canonicalHost } from './middleware/canonical-host.js';
import { sameOriginOnly, csrfToken } from './middleware/csrf.js';
import { enforceAbsoluteTimeout, isLoggedIn } from './middleware/require-login.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { VIEWS, ejsEngine } from './views/engine.js';
import { createAuthRouter } from './routes/auth.js';
import { createThingsRouter } from './routes/things.js';
import { createLikedRouter } from './routes/liked.js';
import { createBulkRouter } from './routes/bulk.js';
import { thousands } from './likes/ago.js';

const ROOT = path.join(import.meta.dirname, '..');

export function createApp(config: Config, services: Services): Express {
  const { now, client, likes, jobs: bulkJobs, popularCache, logger } = services;
  const endSession = createEndSession(bulkJobs, JOB_STOP_WAIT_MS);

  const app = express();
  app.disable('x-powered-by');
  // Pages are private, no-store: an ETag (a SHA-1 of every page) could never be used.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS);
  app.engine('ejs', ejsEngine(() => app.enabled('view cache')));
  app.set('query parser', 'simple');
  // Every view formats counts the same way (1,234; no Intl per call: a NumberFormat per page
  // cost more than a card).
  app.locals.thousands = thousands;

  app.use(requestLog(logger));
  app.use(securityHeaders(config));
  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: '1h', index: false }));
  app.use(canonicalHost(config.publicUrl));
  app.use(createSessionMiddleware(config, services.sessionStore, services.sessionSecrets));
  app.use(endedSessionGuard(services.sessionStore));
  app.use(enforceAbsoluteTimeout(config.sessionAbsoluteMs, endSession, now));
  // A bulk form carries up to maxIds checkboxes; every other form stays within the tight limit
  // (the second parser skips a body the first one has read).
  app.use('/bulk', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: bulkJobs.options.maxIds + 10 }));
  // An import file arrives as a textarea's text: up to 1 MB, which urlencoding can triple.
  app.use('/liked/import', express.urlencoded({ extended: false, limit: '3200kb', parameterLimit: 10 }));
  app.use(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }));
  app.use(sameOriginOnly(config.publicUrl));
  app.use(pageLocals(config));

  app.use(createAuthRouter(config, { client, now, endSession }));
  app.use(createThingsRouter(config, { client, likes, popularCache, thingImagesCache: services.thingImagesCache }));
  app.use(createLikedRouter({ refresher: services.likedIndex, jobs: bulkJobs, pendingImports: services.pendingImports, now }));
  app.use(createBulkRouter({ jobs: bulkJobs }));

  app.use(notFound);
  app.use(errorHandler(logger, endSession));
  return app;
}

// What every page template can use: who is logged in, a one-shot message, the CSRF token.
function pageLocals(config: Config) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.user = isLoggedIn(req) ? req.session.user : null;
    // Anything answered to a logged-in user may name them, error pages included: never let
    // the browser keep it, or Back after logout shows "Logged in as …" again (S10).
    if (res.locals.user) res.set('Cache-Control', 'no-store');
    res.locals.mode = config.mode;
    res.locals.flash = null;
    res.locals.backTo = null;
    res.locals.bye = req.query.bye === '1';
    if (req.session?.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    res.locals.logoutCsrf = () => (res.locals.user ? csrfToken(req) : null);
    // Log in from any page and come back to it (a page we could redirect to, read by GET).
    const here = req.method === 'GET' ? safeReturnTo(req.originalUrl) : '/';
    res.locals.loginHref = here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
    next();
  };
}
