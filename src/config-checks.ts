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
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(hostname);
}
