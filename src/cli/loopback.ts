// `auth login` in the browser: Thingiverse has no device flow, so the CLI serves the app's
// registered callback URL on loopback for one login. The page and its script are the web
// app's (public/callback.js, the same CSP): it reads the fragment, wipes it, and POSTs the
// token with the one-time state back here; the state checks are src/auth/state.ts.
import http from 'node:http';
import path from 'node:path';
import express, { type Request } from 'express';
import { authorizeUrl } from '../auth/authorize-url.js';
import { consumeState, consumeStateIfMatching, newState, stateProblem } from '../auth/state.js';
import { callbackPageHeaders, denialMessage } from '../auth/callback-page.js';
import type { Config } from '../config.js';
import type { SessionUser } from '../middleware/session.js';
import { isLoopbackHost } from '../config-checks.js';
import type { Base } from './context.js';
import { CliError, EXIT, usageError } from './errors.js';

const WAIT_MS = 5 * 60_000;
/** How long a finished login waits for the tab to show "Logged in" (a closed tab never asks). */
const SHOW_MS = 10_000;
const PUBLIC_DIR = path.join(import.meta.dirname, '..', '..', 'public');

// The empty data: icon keeps the browser from asking for /favicon.ico after the listener is gone.
const page = (title: string, body: string, script = false) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>${title} · thingiverse-likes</title>
${script ? '<script src="/static/callback.js" defer></script>' : ''}</head>
<body><main><h1>${title}</h1><p id="status" role="status">${body}</p></main></body></html>`;

export interface LoopbackOptions {
  openBrowser: boolean;
  verify(token: string): Promise<SessionUser>;
}

export async function loopbackLogin(base: Base, opts: LoopbackOptions): Promise<{ token: string; user: SessionUser }> {
  const callback = new URL(base.target.redirectUri);
  if (callback.protocol !== 'http:' || !isLoopbackHost(callback.hostname) || !callback.port) {
    throw usageError(`The registered callback ${callback.href} is not a loopback address with a port, so this computer cannot receive the login. Use: thingiverse-likes auth login --with-token`);
  }
  // The pending state lives in a session-shaped holder, so the web login's own functions
  // make, check and burn it (once, constant-time, 10-minute life).
  const holder = { session: {} } as unknown as Request;
  const state = newState(holder);
  let settle!: { ok: (v: { token: string; user: SessionUser }) => void; fail: (e: Error) => void };
  const result = new Promise<{ token: string; user: SessionUser }>((ok, fail) => (settle = { ok, fail }));
  let loggedIn = false;
  let shown!: () => void;
  const pageShown = new Promise<void>((ok) => (shown = ok));
  // The login ends only once its answer has left: closing the listener sooner could cut it off.
  const after = (res: express.Response, end: () => void) => void res.once('close', end);
  const headers = (res: express.Response) => callbackPageHeaders(res, 'data:');

  const app = express();
  app.disable('x-powered-by');
  // Only this origin: a page elsewhere cannot post a token of its choosing (DNS rebinding, CSRF).
  app.use((req, res, next) => {
    if (req.headers.host !== callback.host) return void res.status(421).send('Wrong host');
    next();
  });
  app.get(callback.pathname, (req, res) => {
    headers(res);
    if (req.query['error'] !== undefined) {
      const text = denialMessage(req.query['error']);
      res.status(400).send(page('Login cancelled', text));
      // Anyone can link a browser here with ?error=x: only the answer to our state ends the login.
      if (consumeStateIfMatching(holder, req.query['state']) === 'ok') after(res, () => settle.fail(new CliError(EXIT.auth, text)));
      return;
    }
    if (req.query['code'] !== undefined) {
      res.status(400).send(page('Login failed', 'The command line uses the token flow; this app is set up differently.'));
      return after(res, () => settle.fail(new CliError(EXIT.auth, 'Thingiverse sent a login code; the command line needs the token flow (or use --with-token).')));
    }
    res.send(page('Finishing your login…', 'Checking your Thingiverse login.', true));
  });
  app.get('/static/callback.js', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'callback.js')));
  app.post('/auth/token', express.json({ limit: '4kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (req.headers.origin !== callback.origin) return void res.status(403).json({ message: 'Wrong origin.' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const check = consumeState(holder, body['state']);
    if (check !== 'ok') {
      res.status(400).json({ message: stateProblem(check) });
      return after(res, () => settle.fail(new CliError(EXIT.auth, stateProblem(check))));
    }
    try {
      const token = typeof body['access_token'] === 'string' ? body['access_token'] : '';
      const user = await opts.verify(token);
      loggedIn = true;
      res.json({ ok: true, next: '/' });
      after(res, () => settle.ok({ token, user }));
    } catch (err) {
      res.status(400).json({ message: err instanceof Error ? err.message : 'The login could not be completed.' });
      after(res, () => settle.fail(err as Error));
    }
  });
  app.get('/', (_req, res) => {
    headers(res);
    if (!loggedIn) return void res.send(page('Not logged in yet', 'Finish the login on the Thingiverse page first.'));
    res.send(page('Logged in', 'You are logged in. You can close this tab and go back to the terminal.'));
    after(res, shown);
  });

  const servers = await listenAll(app, callback);
  const timer = setTimeout(() => settle.fail(new CliError(EXIT.failed, 'The login was not finished within 5 minutes. Nothing was stored.')), WAIT_MS);
  try {
    const url = authorizeUrl(
      { thingiverse: { authUrl: base.target.siteUrl, clientId: base.target.clientId }, redirectUri: callback.href, flow: 'implicit' } as Config,
      state,
    );
    base.out.info(`Open this page to log in (waiting for ${callback.origin}):\n  ${url}`);
    if (opts.openBrowser) {
      const { default: open } = await import('open');
      await open(url).catch(() => base.out.info('Could not open a browser: open the page above yourself.'));
    }
    const done = await result;
    // The callback page goes on to "/" for its "Logged in" view: wait for it to be sent.
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([pageShown, new Promise<void>((ok) => (giveUp = setTimeout(ok, SHOW_MS)))]);
    clearTimeout(giveUp);
    return done;
  } finally {
    clearTimeout(timer);
    await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
  }
}

/** "localhost" may reach the CLI on 127.0.0.1 or ::1 depending on the browser: listen on both. */
async function listenAll(app: express.Express, callback: URL): Promise<http.Server[]> {
  const hosts = callback.hostname === 'localhost' ? ['127.0.0.1', '::1'] : [callback.hostname.replace(/^\[|\]$/g, '')];
  const servers: http.Server[] = [];
  for (const host of hosts) {
    const server = http.createServer(app);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(callback.port), host, () => resolve());
      });
      servers.push(server);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
        throw new CliError(EXIT.failed, `Port ${callback.port} is busy (is the web app running?), so the login cannot be received there. Stop it, or use --with-token.`);
      }
      // No IPv6 on this machine: 127.0.0.1 alone will do.
      if (host !== '::1') throw err;
    }
  }
  return servers;
}
