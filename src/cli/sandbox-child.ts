// --sandbox: the bundled sandbox for the length of one command, started the way `npm start`
// starts it in sandbox mode (src/sandbox-process.ts: its own program, never imported, gone
// when we are), on a free port, logged in as --user through its control API. The token it
// mints goes through the same checks as any login.
import { loadConfig } from '../config.js';
import { startSandboxProcess } from '../sandbox-process.js';
import type { ThingiverseClient } from '../thingiverse/types.js';
import type { SessionUser } from '../middleware/session.js';
import { verifyToken } from '../auth/login.js';
import { CliError, EXIT } from './errors.js';
import type { Target } from './target.js';

export interface SandboxChild {
  target: Target;
  login(client: ThingiverseClient): Promise<{ token: string; user: SessionUser }>;
  stop(): Promise<void>;
}

export async function startSandboxChild(username: string): Promise<SandboxChild> {
  const defaults = loadConfig({});
  let child: Awaited<ReturnType<typeof startSandboxProcess>>;
  try {
    // Port 0: a free port, so a running `npm start` on 3001 is no obstacle.
    child = await startSandboxProcess({ ...defaults, sandboxPort: 0 });
  } catch (err) {
    throw new CliError(EXIT.failed, `The sandbox could not be started: ${(err as Error).message}.`);
  }
  const url = child.url;
  const target: Target = { apiUrl: url, siteUrl: url, clientId: defaults.thingiverse.clientId, redirectUri: defaults.redirectUri };
  return {
    target,
    stop: () => child.stop(),
    async login(client) {
      const res = await fetch(`${url}/__sandbox/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username }),
      });
      if (res.status === 404) throw new CliError(EXIT.usage, `The sandbox has no user named ${JSON.stringify(username)} (try ada_maker, bram_prints, cleo_collects or dara_new).`);
      if (!res.ok) throw new CliError(EXIT.failed, `The sandbox refused to log in ${username} (${res.status}).`);
      const { access_token: token } = (await res.json()) as { access_token: string };
      return { token, user: await verifyToken(client, target.clientId, token) };
    },
  };
}
