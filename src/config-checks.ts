// Small validators for loadConfig; each pushes a plain-words problem instead of throwing,
// so a user sees every mistake in one go.
const SAMPLE_SECRETS = ['keyboard cat', 'changeme', 'change-me', 'secret', 'your-session-secret'];

export function parsePort(raw: string | undefined, fallback: number, name: string, problems: string[]): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^[0-9]{1,5}$/.test(raw) || n < 1 || n > 65535) {
    problems.push(`${name} must be a port number from 1 to 65535 (got "${raw}").`);
    return fallback;
  }
  return n;
}

export function parsePositiveMs(
  raw: string | undefined,
  fallback: number,
  unitMs: number,
  name: string,
  problems: string[],
  allowZero = false,
): number {
  if (raw === undefined) return fallback * unitMs;
  const n = Number(raw);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw) || (!allowZero && n === 0)) {
    problems.push(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number (got "${raw}").`);
    return fallback * unitMs;
  }
  return Math.round(n * unitMs);
}

export function parsePublicUrl(raw: string | undefined, fallback: string, problems: string[]): string | null {
  const value = raw ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`PUBLIC_URL must be an absolute URL such as http://localhost:3000 (got "${value}").`);
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push('PUBLIC_URL must start with http:// or https://.');
    return null;
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    problems.push('PUBLIC_URL must be an origin only (scheme, host and port), with no path or query.');
    return null;
  }
  return url.origin;
}

export function checkSessionSecret(secret: string, problems: string[]): void {
  if (secret.length < 32) problems.push('SESSION_SECRET must be at least 32 characters (each, when a comma-separated list).');
  if (SAMPLE_SECRETS.includes(secret.toLowerCase())) problems.push('SESSION_SECRET is a well-known sample value; make a random one.');
  // Long but not random (32 times the same letter, "abcabc…"): too few distinct characters.
  else if (secret.length >= 32 && new Set(secret).size < 10) {
    problems.push('SESSION_SECRET is not random enough (too few different characters); make one with `openssl rand -hex 32`.');
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parseLogLevel(raw: string | undefined, problems: string[]): string {
  if (raw === undefined) return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw;
  problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}").`);
  return 'info';
}

/**
 * THINGIVERSE_API_URL / THINGIVERSE_SITE_URL: an origin, https, or http on loopback only (a
 * sandbox started by hand); the token travels to it, so never in clear text over a network.
 */
export function parseUpstreamOrigin(name: string, raw: string | undefined, fallback: string, problems: string[]): string {
  if (raw === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} must be an absolute URL such as https://api.thingiverse.com (got "${raw}").`);
    return fallback;
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    problems.push(`${name} must be an origin only (scheme, host and port), with no path or query.`);
  } else if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return url.origin;
  } else {
    problems.push(`${name} must use https (http is allowed only for 127.0.0.1 or localhost).`);
  }
  return fallback;
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(hostname);
}

/**
 * THINGIVERSE_RATE_LIMIT, "requests/seconds" per credential (default 300/300, Thingiverse's own):
 * the app never sends more. Only a sandbox with another limit, or a benchmark, needs a change.
 */
export function parseRateLimit(raw: string | undefined, problems: string[]): { limit: number; windowMs: number } {
  const fallback = { limit: 300, windowMs: 300_000 };
  if (raw === undefined) return fallback;
  const m = /^([1-9][0-9]{0,9})\/([1-9][0-9]{0,5})$/.exec(raw);
  if (!m) {
    problems.push(`THINGIVERSE_RATE_LIMIT must be requests/seconds, such as 300/300 (got "${raw}").`);
    return fallback;
  }
  return { limit: Number(m[1]), windowMs: Number(m[2]) * 1000 };
}
