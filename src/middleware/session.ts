// Session cookie and server-side session data. The access token lives only here, in the
// SQLite-backed store; the browser holds an opaque signed id (S1, S3, S5, S6).
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';

export interface SessionUser {
  id: number;
  name: string;
  displayName: string;
}

declare module 'express-session' {
  interface SessionData {
    /** One pending OAuth transaction (O2). */
    oauth?: { state: string; createdAt: number; next?: string };
    token?: string;
    user?: SessionUser;
    /** When the user logged in, for the absolute timeout (S3). */
    authAt?: number;
    /** One-shot message for the next page (post/redirect/get). */
    flash?: { kind: 'ok' | 'error'; text: string; /** Shown on this thing's card or page, where the action was. */ thingId?: number };
  }
}

export function sessionCookieName(config: Config): string {
  // __Host- pins the cookie to this exact origin, path /, Secure: only possible over https.
  return config.secureCookies ? '__Host-tvl.sid' : 'tvl.sid';
}

export function createSessionMiddleware(config: Config, store: session.Store, secrets: string[]): RequestHandler {
  return session({
    name: sessionCookieName(config),
    secret: secrets,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxy !== false,
    cookie: {
      httpOnly: true,
      // Lax, not Strict: the code-flow return from Thingiverse is a cross-site top-level
      // GET, and the session must come along with it to find the stored state.
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
      maxAge: config.sessionIdleMs,
    },
  });
}
