// Login and logout. Three ways in, one set of checks (state, token shape, tokeninfo
// audience, users/me, a new session): see auth/login.ts.
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config.js';
import type { ThingiverseClient } from '../thingiverse/types.js';
import { authorizeUrl } from '../auth/authorize-url.js';
import { consumeState, consumeStateIfMatching, newState, stateProblem } from '../auth/state.js';
import { checkTokenShape, exchangeCode, startUserSession, verifyToken } from '../auth/login.js';
import { safeReturnTo } from '../middleware/params.js';
import { HttpError } from '../errors.js';
import { requireCsrfToken } from '../middleware/csrf.js';
import type { EndSession } from '../auth/end-session.js';
import { sessionCookieName } from '../middleware/session.js';
import { callbackPageHeaders, denialMessage } from '../auth/callback-page.js';

export function createAuthRouter(config: Config, deps: { client: ThingiverseClient; now: () => number; endSession: EndSession }): Router {
  const router = Router();
  const noStore = (res: Response) => res.set('Cache-Control', 'no-store');
  const save = (req: Request) => new Promise<void>((ok, fail) => req.session.save((e) => (e ? fail(e) : ok())));

  async function logIn(req: Request, res: Response, received: unknown) {
    const token = checkTokenShape(received);
    const user = await verifyToken(deps.client, config.thingiverse.clientId, token);
    await startUserSession(req, token, user, deps.now());
    noStore(res);
  }

  /** Spends the state; returns the page the login started from (checked again: it was stored). */
  function checkState(req: Request, received: unknown): string {
    const next = safeReturnTo(req.session?.oauth?.next);
    const check = consumeState(req, received, deps.now());
    if (check !== 'ok') throw new HttpError(400, stateProblem(check), 'Login failed');
    return next;
  }

  // GET /login: a fresh one-time state, saved before we leave (S9), then off to Thingiverse.
  router.get('/login', async (req, res) => {
    const state = newState(req, deps.now(), safeReturnTo(req.query.next));
    await save(req);
    noStore(res);
    res.redirect(302, authorizeUrl(config, state));
  });

  // GET /callback: code flow (?code, handled here), errors (?error or #error), or the implicit
  // flow, whose token sits in the fragment: only the page's script can read and forward it.
  router.get('/callback', async (req, res) => {
    const { code, error, state } = req.query;
    if (error !== undefined) {
      consumeStateIfMatching(req, state, deps.now());
      throw new HttpError(400, denialMessage(error), 'Login cancelled');
    }
    if (code !== undefined) {
      if (config.flow !== 'code') throw new HttpError(400, 'This app is not set up for the code flow.', 'Login failed');
      const next = checkState(req, state);
      if (typeof code !== 'string' || !/^[A-Za-z0-9._~-]{1,512}$/.test(code)) {
        throw new HttpError(400, 'The login code from Thingiverse was not readable. Please start again.', 'Login failed');
      }
      const token = await exchangeCode(deps.client, code, config.redirectUri);
      await logIn(req, res, token);
      return res.redirect(303, next);
    }
    callbackPageHeaders(res);
    res.render('callback', { title: 'Finishing login', codeFlow: config.flow === 'code' });
  });

  // POST /auth/token: JSON from public/callback.js. Protected by the one-time state (C2) and
  // the same-origin check mounted in app.ts; the token never goes in a URL (O8).
  router.post('/auth/token', express.json({ limit: '4kb' }), async (req, res) => {
    noStore(res);
    if (!req.is('application/json')) throw new HttpError(415, 'Send the token as JSON.', 'Unsupported request');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = checkState(req, body.state);
    // checkTokenShape (in logIn) refuses anything but a string of the right shape.
    await logIn(req, res, body.access_token);
    res.json({ ok: true, next });
  });

  // GET /login/token: the pasted-token form, for apps with no redirect URL registered.
  router.get('/login/token', async (req, res) => {
    const state = newState(req, deps.now(), safeReturnTo(req.query.next));
    await save(req);
    noStore(res);
    res.render('paste-token', { title: 'Log in with a token', state, tokenUrl: pasteTokenUrl(config) });
  });

  router.post('/login/token', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = checkState(req, body.state);
    await logIn(req, res, typeof body.access_token === 'string' ? body.access_token.trim() : '');
    res.redirect(303, next);
  });

  // POST /logout: CSRF-protected (S4); GET does nothing here, so a link cannot log you out.
  // It answers once the user's bulk jobs have stopped (bounded), so nothing sends the token after.
  router.post('/logout', requireCsrfToken, async (req, res) => {
    await deps.endSession(req, 'destroy');
    // Same attributes as when it was set, or browsers keep the old cookie.
    res.clearCookie(sessionCookieName(config), { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
    res.set('Clear-Site-Data', '"cookies"');
    noStore(res);
    res.redirect(303, '/?bye=1');
  });

  return router;
}

/** Where a user gets a token by hand: the authorize page without our redirect URI, so
 * Thingiverse uses whatever callback their app has registered. */
function pasteTokenUrl(config: Config): string {
  const url = new URL('/login/oauth/authorize', config.thingiverse.authUrl);
  url.searchParams.set('client_id', config.thingiverse.clientId);
  url.searchParams.set('response_type', 'token');
  if (config.pasteRedirectUri) url.searchParams.set('redirect_uri', config.pasteRedirectUri);
  return url.toString();
}
