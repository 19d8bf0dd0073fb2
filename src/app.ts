// createApp(config, deps): the whole web app, without listening. server.ts and the tests
// build the dependencies and decide where it listens.
import path from 'node:path';
import { createRequire } from 'node:module';
import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import type session from 'express-session';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Page, ThingSummary, ThingiverseClient } from './thingiverse/types.js';
import type { LikeState } from './store/like-state.js';
import { createSessionMiddleware } from './http/session.js';
import { securityHeaders } from './http/security-headers.js';
import { requestLog } from './http/request-log.js';
import { canonicalHost } from './middleware/canonical-host.js';
import { sameOriginOnly, csrfToken } from './middleware/csrf.js';
import { enforceAbsoluteTimeout, isLoggedIn } from './middleware/require-login.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { createTtlCache, type TtlCache } from './services/ttl-cache.js';
import { BULK_DEFAULTS, BulkJobs, type BulkOptions } from './jobs/registry.js';
import { createLikesService } from './services/likes.js';
import { createAuthRouter } from './routes/auth.js';
import { createThingsRouter } from './routes/things.js';
import { createLikedRouter } from './routes/liked.js';
import { createBulkRouter } from './routes/bulk.js';

export interface AppDeps {
  client: ThingiverseClient;
  sessionStore: session.Store;
  likeState: LikeState;
  logger: Logger;
  /** Defaults to config.sessionSecrets (sandbox mode passes a generated one). */
  sessionSecrets?: string[];
  now?: () => number;
  popularCache?: TtlCache<Page<ThingSummary>>;
  bulk?: Partial<BulkOptions>;
}

const ROOT = path.join(import.meta.dirname, '..');
const VIEWS = path.join(ROOT, 'views');
// ejs ships no types; this is the one call the app makes.
const ejs = createRequire(import.meta.url)('ejs') as {
  renderFile(file: string, data: object, opts: object, done: (err: Error | null, html?: string) => void): void;
};

export function createApp(config: Config, deps: AppDeps): Express {
  const now = deps.now ?? Date.now;
  const secrets = deps.sessionSecrets ?? config.sessionSecrets;
  if (secrets.length === 0) throw new Error('createApp needs at least one session secret');
  const popularCache = deps.popularCache ?? createTtlCache<Page<ThingSummary>>({ ttlMs: config.popularCacheMs, now });
  const likes = createLikesService({ client: deps.client, likeState: deps.likeState, likeStateTtlMs: config.likeStateTtlMs });
  // The client counts every call in its own limiter; the jobs read it from there.
  const bulkJobs = new BulkJobs({ likes, limits: deps.client, now, options: { ...BULK_DEFAULTS, ...deps.bulk } });

  const app = express();
  app.disable('x-powered-by');
  // Pages are private, no-store: an ETag (a SHA-1 of every page) could never be used.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS);
  // EJS checks the file system (a stat) for every include it resolves, even with its template
  // cache on; with `root` set, includes written as '/partials/x' resolve without one. On the
  // popular page that stat was the largest single cost (npm run bench, --cpu-prof).
  app.engine('ejs', (file, data, done) =>
    ejs.renderFile(file, data, { root: VIEWS, views: [VIEWS], cache: app.enabled('view cache') }, done));
  app.set('query parser', 'simple');

  app.use(requestLog(deps.logger));
  app.use(securityHeaders(config));
  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: '1h', index: false }));
  app.use(canonicalHost(config.publicUrl));
  app.use(createSessionMiddleware(config, deps.sessionStore, secrets));
  app.use(enforceAbsoluteTimeout(config.sessionAbsoluteMs, now));
  // A bulk form carries up to maxIds checkboxes; every other form stays within the tight limit
  // (the second parser skips a body the first one has read).
  app.use('/bulk', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: bulkJobs.options.maxIds + 10 }));
  app.use(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }));
  app.use(sameOriginOnly(config.publicUrl));
  app.use(pageLocals(config));

  app.use(createAuthRouter(config, { client: deps.client, now }));
  app.use(createThingsRouter(config, { client: deps.client, likes, popularCache }));
  app.use(createLikedRouter({ client: deps.client, likes }));
  app.use(createBulkRouter({ jobs: bulkJobs }));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

// What every page template can use: who is logged in, a one-shot message, the CSRF token.
function pageLocals(config: Config) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.user = isLoggedIn(req) ? req.session.user : null;
    res.locals.mode = config.mode;
    res.locals.flash = null;
    res.locals.backTo = null;
    res.locals.bye = req.query.bye === '1';
    if (req.session?.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    res.locals.logoutCsrf = () => (res.locals.user ? csrfToken(req) : null);
    next();
  };
}
