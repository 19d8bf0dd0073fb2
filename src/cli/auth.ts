// auth login | status | logout. A token from the browser or stdin passes the web login's
// own checks (src/auth/login.ts: shape, tokeninfo audience = our client id, users/me)
// before it is stored. Nothing here ever prints the token.
import { checkTokenShape, verifyToken } from '../auth/login.js';
import { HttpError } from '../errors.js';
import type { SessionUser } from '../middleware/session.js';
import { openBase, openContext, type Base, type GlobalOptions } from './context.js';
import { CliError, EXIT, usageError } from './errors.js';
import { readStdin } from './refs.js';
import { deleteLogin, loadLogin, saveLogin, tokenFilePath } from './token-store.js';

async function check(base: Base, token: string): Promise<SessionUser> {
  try {
    return await verifyToken(base.client, base.target.clientId, checkTokenShape(token));
  } catch (err) {
    if (err instanceof HttpError) throw new CliError(EXIT.auth, `${err.message} Nothing was stored.`);
    throw err;
  }
}

function store(base: Base, token: string, user: SessionUser): void {
  saveLogin(base.target.apiUrl, { token, user, savedAt: new Date().toISOString() });
  base.out.info(`Logged in to ${base.target.apiUrl} as ${user.name}. Token saved in ${tokenFilePath()} (readable only by you).`);
  if (base.out.json) base.out.doc({ host: base.target.apiUrl, user });
}

export async function login(opts: GlobalOptions & { withToken?: boolean; browser?: boolean }): Promise<void> {
  if (opts.sandbox) throw usageError('--sandbox logs in by itself for each command; auth login is for a real or long-running Thingiverse.');
  const base = await openBase(opts);
  try {
    if (opts.withToken) {
      const token = (await readStdin(4096, 'the token on stdin')).toString('utf8').trim();
      if (!token) throw usageError('No token on stdin. Example: thingiverse-likes auth login --with-token < token.txt');
      store(base, token, await check(base, token));
      return;
    }
    const { loopbackLogin } = await import('./loopback.js');
    const { token, user } = await loopbackLogin(base, { openBrowser: opts.browser !== false, verify: (t) => check(base, t) });
    store(base, token, user);
  } finally {
    await base.close();
  }
}

export async function status(opts: GlobalOptions): Promise<void> {
  const ctx = await openContext(opts);
  try {
    // Ask Thingiverse, so "logged in" means the token still works.
    const me = await ctx.client.me(ctx.token);
    const where = ctx.tokenSource === 'file' ? tokenFilePath() : ctx.tokenSource === 'environment' ? 'THINGIVERSE_TOKEN' : 'the sandbox (for this command only)';
    if (ctx.out.json) {
      ctx.out.doc({ host: ctx.target.apiUrl, user: { id: me.id, name: me.name, displayName: me.displayName }, tokenSource: ctx.tokenSource, tokenFile: tokenFilePath() });
    } else {
      ctx.out.line(`Logged in to ${ctx.target.apiUrl} as ${me.name} (${me.displayName})`);
      ctx.out.line(`Token: from ${where}`);
    }
  } finally {
    await ctx.close();
  }
}

export async function logout(opts: GlobalOptions): Promise<void> {
  const base = await openBase(opts);
  try {
    const had = loadLogin(base.target.apiUrl) !== null;
    deleteLogin(base.target.apiUrl);
    base.out.info(had ? `Logged out of ${base.target.apiUrl}: the stored token is deleted.` : `No stored login for ${base.target.apiUrl}.`);
    base.out.info(`The token itself stays valid until you remove this app from your Thingiverse account (${base.target.siteUrl}, Settings → Apps).`);
    if (base.env.token) base.out.info('THINGIVERSE_TOKEN is still set in your environment and is used while it is.');
    if (base.out.json) base.out.doc({ host: base.target.apiUrl, loggedOut: had });
  } finally {
    await base.close();
  }
}
