// Reads the environment once, validates it and reports every problem at once. Nothing
// else in the app reads process.env. With no THINGIVERSE_CLIENT_ID the app runs in
// sandbox mode: the client and port in config-sandbox.ts, against the sandbox program that
// main.ts starts as a child process on 127.0.0.1. With one, live mode: the real hosts, or
// those in THINGIVERSE_API_URL / THINGIVERSE_SITE_URL (the staging hosts, or a sandbox
// started by hand with `npm run sandbox`).
import fs from 'node:fs';
import path from 'node:path';
import { SANDBOX_CLIENT, SANDBOX_DEFAULT_HOST, SANDBOX_DEFAULT_PORT, TOKEN_DISPLAY_PATH } from './config-sandbox.js';
import {
  isLoopbackHost, parsePort, parsePositiveMs, parsePublicUrl, checkSessionSecret, parseLogLevel, parseUpstreamOrigin, parseRateLimit,
} from './config-checks.js';

export const THINGIVERSE_HOSTS = { apiUrl: 'https://api.thingiverse.com', authUrl: 'https://www.thingiverse.com' } as const;

export type Mode = 'sandbox' | 'live';
export type Flow = 'implicit' | 'code';

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  /** Origin users open in the browser, no trailing slash; the redirect URI is derived from it. */
  publicUrl: string;
  redirectUri: string;
  sandboxPort: number;
  thingiverse: {
    apiUrl: string;
    authUrl: string;
    clientId: string;
    clientSecret?: string;
    appToken?: string;
  };
  /**
   * Where the paste-a-token link sends the token: null = the app's registered callback (live);
   * in sandbox mode a sandbox page that shows it in the address bar.
   */
  pasteRedirectUri: string | null;
  /** Implicit (token in the fragment) unless a client secret is configured. */
  flow: Flow;
  /** Empty in sandbox mode when none is set: the server makes one and keeps it in dataDir. */
  sessionSecrets: string[];
  dataDir: string;
  secureCookies: boolean;
  /** Express 'trust proxy' hop count; false = off (S8). */
  trustProxy: number | false;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  popularCacheMs: number;
  /** Upstream requests per credential per window that the client allows itself. */
  rateLimit: { limit: number; windowMs: number };
  /** How long the liked-ids snapshot is trusted before it is read again from Thingiverse. */
  likeStateTtlMs: number;
  /** A liked index older than this is refreshed in the background on the next liked-page view. */
  likedIndexMaxAgeMs: number;
  upstreamTimeoutMs: number;
  logLevel: string;
  production: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Merge a .env file into process.env when there is one; real environment variables win. */
export function loadDotEnv(cwd: string = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const clientId = get('THINGIVERSE_CLIENT_ID');
  const mode: Mode = clientId ? 'live' : 'sandbox';
  const host = get('HOST') ?? '127.0.0.1';
  const port = parsePort(get('PORT'), 3000, 'PORT', problems);
  const sandboxPort = parsePort(get('SANDBOX_PORT'), SANDBOX_DEFAULT_PORT, 'SANDBOX_PORT', problems);
  const publicUrl = parsePublicUrl(get('PUBLIC_URL'), `http://localhost:${port}`, problems);
  const clientSecret = get('THINGIVERSE_CLIENT_SECRET');
  const appToken = get('THINGIVERSE_APP_TOKEN');
  const production = get('NODE_ENV') === 'production';

  if (clientId && !/^[A-Za-z0-9]{8,64}$/.test(clientId)) {
    problems.push('THINGIVERSE_CLIENT_ID should be the app\'s client id from thingiverse.com (letters and digits).');
  }
  if (clientSecret && !clientId) problems.push('THINGIVERSE_CLIENT_SECRET is set but THINGIVERSE_CLIENT_ID is not.');
  if (appToken && !/^[A-Za-z0-9]{16,128}$/.test(appToken)) problems.push('THINGIVERSE_APP_TOKEN should be letters and digits.');

  const secrets = (get('SESSION_SECRET') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of secrets) checkSessionSecret(s, problems);
  if (mode === 'live' && secrets.length === 0) {
    problems.push('SESSION_SECRET is required with real Thingiverse credentials: 32+ random characters (e.g. `openssl rand -hex 32`).');
  }
  if (mode === 'live' && publicUrl && new URL(publicUrl).protocol === 'http:' && !isLoopbackHost(new URL(publicUrl).hostname)) {
    problems.push('PUBLIC_URL must use https unless it is localhost (the OAuth redirect would travel in clear text).');
  }
  const trustProxyRaw = get('TRUST_PROXY');
  let trustProxy: number | false = false;
  if (trustProxyRaw !== undefined) {
    if (/^[0-9]{1,2}$/.test(trustProxyRaw)) trustProxy = Number(trustProxyRaw) || false;
    else problems.push('TRUST_PROXY must be a hop count (0 to 99), not true/false or a list.');
  }
  // An https PUBLIC_URL means Secure cookies; this server speaks plain http, so https must end
  // at a proxy in front, and without trusting it Express never sees the request as secure:
  // the session cookie would never be set and every login would fail with a state error.
  if (publicUrl?.startsWith('https:') && trustProxyRaw === undefined) {
    problems.push('PUBLIC_URL is https, so this server must sit behind a TLS proxy: set TRUST_PROXY to its hop count (usually 1).');
  }
  const apiUrl = parseUpstreamOrigin('THINGIVERSE_API_URL', get('THINGIVERSE_API_URL'), THINGIVERSE_HOSTS.apiUrl, problems);
  const authUrl = parseUpstreamOrigin('THINGIVERSE_SITE_URL', get('THINGIVERSE_SITE_URL'), THINGIVERSE_HOSTS.authUrl, problems);
  if (mode === 'sandbox' && (get('THINGIVERSE_API_URL') || get('THINGIVERSE_SITE_URL'))) {
    problems.push('THINGIVERSE_API_URL / THINGIVERSE_SITE_URL need THINGIVERSE_CLIENT_ID (and the secret) of that host; sandbox mode runs its own sandbox.');
  }
  const logLevel = parseLogLevel(get('LOG_LEVEL'), problems);
  const sessionIdleMs = parsePositiveMs(get('SESSION_IDLE_MINUTES'), 60, 60_000, 'SESSION_IDLE_MINUTES', problems);
  const sessionAbsoluteMs = parsePositiveMs(get('SESSION_MAX_HOURS'), 12, 3_600_000, 'SESSION_MAX_HOURS', problems);
  const popularCacheMs = parsePositiveMs(get('POPULAR_CACHE_SECONDS'), 30, 1000, 'POPULAR_CACHE_SECONDS', problems, true);
  const rateLimit = parseRateLimit(get('THINGIVERSE_RATE_LIMIT'), problems);
  const likedIndexMaxAgeMs = parsePositiveMs(get('LIKED_INDEX_MAX_AGE_MINUTES'), 30, 60_000, 'LIKED_INDEX_MAX_AGE_MINUTES', problems);
  const upstreamTimeoutMs = parsePositiveMs(get('UPSTREAM_TIMEOUT_SECONDS'), 10, 1000, 'UPSTREAM_TIMEOUT_SECONDS', problems);

  if (problems.length > 0) throw new ConfigError(problems);
  const base = publicUrl as string;
  const sandboxOrigin = `http://${SANDBOX_DEFAULT_HOST}:${sandboxPort}`;
  return Object.freeze({
    mode,
    host,
    port,
    publicUrl: base,
    redirectUri: `${base}/callback`,
    sandboxPort,
    thingiverse:
      mode === 'live'
        ? { apiUrl, authUrl, clientId: clientId as string, clientSecret, appToken }
        : { apiUrl: sandboxOrigin, authUrl: sandboxOrigin, clientId: SANDBOX_CLIENT.clientId, appToken: SANDBOX_CLIENT.appToken },
    pasteRedirectUri: mode === 'sandbox' ? `${sandboxOrigin}${TOKEN_DISPLAY_PATH}` : null,
    flow: mode === 'live' && clientSecret ? 'code' : 'implicit',
    sessionSecrets: secrets,
    dataDir: path.resolve(cwd, get('DATA_DIR') ?? 'data'),
    secureCookies: base.startsWith('https:'),
    trustProxy,
    sessionIdleMs,
    sessionAbsoluteMs,
    popularCacheMs,
    rateLimit,
    likeStateTtlMs: 10 * 60_000,
    likedIndexMaxAgeMs,
    upstreamTimeoutMs,
    logLevel,
    production,
  });
}
