// Which Thingiverse the command talks to. Like the app: with no THINGIVERSE_CLIENT_ID it is
// sandbox mode (the bundled sandbox's client and 127.0.0.1 ports, read from the app's own
// config so the two never disagree); --api-url / --site-url and the THINGIVERSE_*_URL
// settings point it anywhere else. Only https, or http on loopback, is accepted.
import { loadConfig } from '../config.js';
import { isLoopbackHost } from '../config-checks.js';
import type { CliEnv } from './env.js';
import { usageError } from './errors.js';

export interface Target {
  apiUrl: string;
  siteUrl: string;
  clientId: string;
  /** The registered callback URL the loopback login listens on. */
  redirectUri: string;
}

export interface TargetFlags {
  apiUrl?: string;
  siteUrl?: string;
  callbackUrl?: string;
}

export function checkBaseUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`${what} must be an absolute URL such as https://api.thingiverse.com.`);
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!ok || url.username || url.password || url.search || url.hash) {
    throw usageError(`${what} must be https (or http on localhost), with no user, query or fragment.`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function resolveTarget(env: CliEnv, flags: TargetFlags): Target {
  // Empty env: the app's sandbox-mode defaults, without reading the real environment twice.
  const defaults = loadConfig(env.publicUrl ? { PUBLIC_URL: env.publicUrl } : {});
  const live = env.clientId !== undefined;
  if (live && !/^[A-Za-z0-9]{8,64}$/.test(env.clientId!)) {
    throw usageError('THINGIVERSE_CLIENT_ID should be the app\'s client id from thingiverse.com (letters and digits).');
  }
  const apiUrl = flags.apiUrl ?? env.apiUrl ?? (live ? 'https://api.thingiverse.com' : defaults.thingiverse.apiUrl);
  const siteUrl = flags.siteUrl ?? env.siteUrl ?? (live ? 'https://www.thingiverse.com' : defaults.thingiverse.authUrl);
  return {
    apiUrl: checkBaseUrl(apiUrl, '--api-url'),
    siteUrl: checkBaseUrl(siteUrl, '--site-url'),
    clientId: live ? env.clientId! : defaults.thingiverse.clientId,
    redirectUri: flags.callbackUrl ?? defaults.redirectUri,
  };
}

/** The sandbox's registered client, for --sandbox (the same constants sandbox mode uses). */
export function sandboxClientId(): string {
  return loadConfig({}).thingiverse.clientId;
}
