// What every command that talks to Thingiverse needs, built once per run: the target, the
// API client (the app's, from src/thingiverse), the token (THINGIVERSE_TOKEN, else the
// stored login, else a sandbox login with --sandbox) and whose it is. Loaded lazily by
// commands, so `--help` never pulls in the HTTP client.
import type { ThingiverseClient } from '../thingiverse/types.js';
import type { SessionUser } from '../middleware/session.js';
import { readEnv, type CliEnv } from './env.js';
import { createOutput, type Output } from './output.js';
import { resolveTarget, type Target } from './target.js';
import { loadLogin, tokenFilePath } from './token-store.js';
import { notLoggedIn } from './errors.js';
import type { SandboxChild } from './sandbox-child.js';

export interface GlobalOptions {
  json?: boolean;
  apiUrl?: string;
  siteUrl?: string;
  callbackUrl?: string;
  sandbox?: boolean;
  user?: string;
  debug?: boolean;
}

export type TokenSource = 'environment' | 'file' | 'sandbox';

export interface Base {
  env: CliEnv;
  out: Output;
  target: Target;
  opts: GlobalOptions;
  client: ThingiverseClient;
  sandbox: SandboxChild | null;
  close(): Promise<void>;
}

export interface Context extends Base {
  token: string;
  tokenSource: TokenSource;
  /** Known from the stored login; read from users/me for an environment token. */
  user(): Promise<SessionUser>;
}

export async function openBase(opts: GlobalOptions): Promise<Base> {
  const env = readEnv();
  const out = createOutput({ json: Boolean(opts.json), noColor: env.noColor });
  // Loaded only when used: the sandbox launcher with --sandbox, the HTTP client once the target is known.
  const sandbox = opts.sandbox ? await (await import('./sandbox-child.js')).startSandboxChild(opts.user ?? 'ada_maker') : null;
  try {
    const target = sandbox ? sandbox.target : resolveTarget(env, opts);
    const { createThingiverseClient } = await import('../thingiverse/client.js');
    const client = createThingiverseClient({ apiUrl: target.apiUrl, authUrl: target.siteUrl, clientId: target.clientId, timeoutMs: 15_000 });
    if (opts.debug) {
      // Never the token: only where things are.
      out.info(`debug: api ${target.apiUrl}, site ${target.siteUrl}, client id ${target.clientId}, token file ${tokenFilePath()}`);
    }
    return { env, out, target, opts, client, sandbox, close: async () => void (await sandbox?.stop()) };
  } catch (err) {
    await sandbox?.stop();
    throw err;
  }
}

export async function openContext(opts: GlobalOptions): Promise<Context> {
  return authenticate(await openBase(opts));
}

/** Base + token. Commands that check their input first call openBase, check, then this. */
export async function authenticate(base: Base): Promise<Context> {
  const { env, target, client } = base;
  let token: string;
  let source: TokenSource;
  let known: SessionUser | null;
  try {
    ({ token, source, known } = await findToken(base, env, target, client));
  } catch (err) {
    await base.close();
    throw err;
  }
  let reading: Promise<SessionUser> | null = null;
  return {
    ...base,
    token,
    tokenSource: source,
    user() {
      if (known) return Promise.resolve(known);
      reading ??= client.me(token).then((me) => (known = { id: me.id, name: me.name, displayName: me.displayName }));
      return reading;
    },
  };
}

async function findToken(base: Base, env: CliEnv, target: Target, client: ThingiverseClient) {
  if (base.sandbox) {
    const { token, user } = await base.sandbox.login(client);
    return { token, source: 'sandbox' as TokenSource, known: user as SessionUser | null };
  }
  if (env.token) return { token: env.token, source: 'environment' as TokenSource, known: null };
  const stored = loadLogin(target.apiUrl);
  if (!stored) throw notLoggedIn(target.apiUrl);
  return { token: stored.token, source: 'file' as TokenSource, known: stored.user as SessionUser | null };
}
