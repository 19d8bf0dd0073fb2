// Which Thingiverse the command talks to. Like the app: with no THINGIVERSE_CLIENT_ID it is
// sandbox mode (the bundled sandbox's client and 127.0.0.1 ports, read from the app's own
// config so the two never disagree); --api-url / --site-url and the THINGIVERSE_*_URL
// settings point it anywhere else, checked as the app checks them.
import { THINGIVERSE_HOSTS, loadConfig } from '../config.js';
import { parseUpstreamOrigin } from '../config-checks.js';
import { readEnv, type CliEnv } from './env.js';
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

/** The app's own check of an upstream origin (https, or http on loopback; no path or query). */
export function checkOrigin(raw: string, what: string): string {
  const problems: string[] = [];
  const origin = parseUpstreamOrigin(what, raw, '', problems);
  if (problems.length > 0) throw usageError(problems.join(' '));
  return origin;
}

function checkPublicUrl(raw: string): string {
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) throw usageError('PUBLIC_URL must be an absolute http(s) URL such as http://localhost:3000.');
  return new URL(raw).origin;
}

export function resolveTarget(env: CliEnv, flags: TargetFlags): Target {
  // Empty env: the app's sandbox-mode defaults, without reading the real environment twice.
  // PUBLIC_URL is read here, not by loadConfig: its server-only rules (TRUST_PROXY) do not apply.
  const defaults = loadConfig({});
  const redirectUri = flags.callbackUrl ?? (env.publicUrl ? `${checkPublicUrl(env.publicUrl)}/callback` : defaults.redirectUri);
  const live = env.clientId !== undefined;
  if (live && !/^[A-Za-z0-9]{8,64}$/.test(env.clientId!)) {
    throw usageError('THINGIVERSE_CLIENT_ID should be the app\'s client id from thingiverse.com (letters and digits).');
  }
  const apiUrl = flags.apiUrl ?? env.apiUrl ?? (live ? THINGIVERSE_HOSTS.apiUrl : defaults.thingiverse.apiUrl);
  const siteUrl = flags.siteUrl ?? env.siteUrl ?? (live ? THINGIVERSE_HOSTS.authUrl : defaults.thingiverse.authUrl);
  return {
    apiUrl: checkOrigin(apiUrl, '--api-url'),
    siteUrl: checkOrigin(siteUrl, '--site-url'),
    clientId: live ? env.clientId! : defaults.thingiverse.clientId,
    redirectUri,
  };
}


/** The site whose thing URLs a command accepts, known before anything heavy loads (input is
 * checked first). An ephemeral --sandbox has no URL yet: there only Thingiverse URLs count. */
export function siteForRefs(flags: TargetFlags & { sandbox?: boolean }): string {
  return flags.sandbox ? THINGIVERSE_HOSTS.authUrl : resolveTarget(readEnv(), flags).siteUrl;
}
