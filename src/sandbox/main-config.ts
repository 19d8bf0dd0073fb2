// Settings of `npm run sandbox`, from its own environment variables and arguments (it is a separate
// program from the app, so it reads them itself). Pure, so a test can feed it anything.
import { SANDBOX_CLIENT, SANDBOX_DEFAULT_PORT } from './defaults.js';

export interface MainConfig {
  port: number;
  /** Registered for the sandbox's client: authorize accepts exactly these. */
  redirectUris: string[];
  /** SANDBOX_WATCH_PARENT=1: stop when stdin ends (the parent app is gone). */
  watchParent: boolean;
}

function parsePort(raw: string, from: string, problems: string[]): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65_535)) problems.push(`${from} must be a port number (0-65535; 0 = any free port), got ${JSON.stringify(raw)}`);
  return port;
}

/** Choice: a redirect URI must be an absolute http(s) URL without a fragment (RFC 6749 3.1.2). */
function checkRedirect(uri: string, problems: string[]): void {
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash !== '' || uri.includes('#')) {
    problems.push(`SANDBOX_REDIRECT_URI: ${JSON.stringify(uri)} is not an absolute http(s) URL without a #fragment`);
  }
}

export function parseMainConfig(env: Record<string, string | undefined>, argv: readonly string[]): MainConfig | { problems: string[] } {
  const problems: string[] = [];
  let port = SANDBOX_DEFAULT_PORT;
  if (env['SANDBOX_PORT'] !== undefined && env['SANDBOX_PORT'] !== '') port = parsePort(env['SANDBOX_PORT'], 'SANDBOX_PORT', problems);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^--port=(.*)$/.exec(arg)?.[1];
    if (inline !== undefined) port = parsePort(inline, '--port', problems);
    else if (arg === '--port') port = parsePort(argv[++i] ?? '', '--port', problems);
    else problems.push(`unknown argument ${JSON.stringify(arg)} (usage: npm run sandbox -- [--port N])`);
  }
  const raw = env['SANDBOX_REDIRECT_URI'] ?? '';
  const redirectUris = raw.trim() === '' ? [...SANDBOX_CLIENT.redirectUris] : raw.split(',').map((u) => u.trim()).filter(Boolean);
  for (const uri of redirectUris) checkRedirect(uri, problems);
  const watchParent = env['SANDBOX_WATCH_PARENT'] === '1';
  return problems.length > 0 ? { problems } : { port, redirectUris, watchParent };
}

/** What the sandbox prints once it listens: for a person, for an app's .env, and one line for a parent process. */
export function startupLines(url: string, port: number, redirectUris: readonly string[]): string[] {
  return [
    `Thingiverse sandbox at ${url} (consent page: ${url}/login/oauth/authorize?client_id=${SANDBOX_CLIENT.clientId})`,
    `# Redirect URIs registered: ${redirectUris.join(', ')}`,
    "# To point an app at this sandbox, put these in its .env (sandbox-only values, worthless against thingiverse.com):",
    `THINGIVERSE_API_URL=${url}`,
    `THINGIVERSE_SITE_URL=${url}`,
    `THINGIVERSE_CLIENT_ID=${SANDBOX_CLIENT.clientId}`,
    `THINGIVERSE_CLIENT_SECRET=${SANDBOX_CLIENT.clientSecret}`,
    `SANDBOX_READY ${JSON.stringify({ url, port })}`,
  ];
}
