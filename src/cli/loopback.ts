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
const PUBLIC_DIR = path.join(import.meta.dirname, '..', '..', 'public');

const page = (title: string, body: string, script = false) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${title} · thingiverse-likes</title>
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

  const app = express();
  app.disable('x-powered-by');
  // Only this origin: a page elsewhere cannot post a token of its choosing (DNS rebinding, CSRF).
  app.use((req, res, next) => {
    if (req.headers.host !== callback.host) return void res.status(421).send('Wrong host');
    next();
  });
  app.get(callback.pathname, (req, res) => {
    callbackPageHeaders(res);
    if (req.query['error'] !== undefined) {
      const text = denialMessage(req.query['error']);
      res.status(400).send(page('Login cancelled', text));
      // Anyone can link a browser here with ?error=x: only the answer to our state ends the login.
      if (consumeStateIfMatching(holder, req.query['state']) === 'ok') settle.fail(new CliError(EXIT.auth, text));
      return;
    }
    if (req.query['code'] !== undefined) {
      res.status(400).send(page('Login failed', 'The command line uses the token flow; this app is set up differently.'));
      return settle.fail(new CliError(EXIT.auth, 'Thingiverse sent a login code; the command line needs the token flow (or use --with-token).'));
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
      return settle.fail(new CliError(EXIT.auth, stateProblem(check)));
    }
    try {
      const token = typeof body['access_token'] === 'string' ? body['access_token'] : '';
      const user = await opts.verify(token);
      res.json({ ok: true, next: '/' });
      settle.ok({ token, user });
    } catch (err) {
      res.status(400).json({ message: err instanceof Error ? err.message : 'The login could not be completed.' });
      settle.fail(err as Error);
    }
  });
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.get('/', (_req, res) => {
    callbackPageHeaders(res);
    res.send(page('Logged in', 'You are logged in. You can close this tab and go back to the terminal.'));
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
    // Let the page fetch its "you are logged in" view before the listener goes away.
    await new Promise((r) => setTimeout(r, 300));
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
