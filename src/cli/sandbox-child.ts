// --sandbox: the bundled sandbox as a child process for the length of one command (its own
// program: started, never imported), on a free port, logged in as --user through its
// control API. The token it mints goes through the same checks as any login.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ThingiverseClient } from '../thingiverse/types.js';
import type { SessionUser } from '../http/session.js';
import { verifyToken } from '../auth/login.js';
import { CliError, EXIT } from './errors.js';
import { sandboxClientId, type Target } from './target.js';

export interface SandboxChild {
  target: Target;
  login(client: ThingiverseClient): Promise<{ token: string; user: SessionUser }>;
  stop(): Promise<void>;
}

/** dist/cli/x.js runs dist/sandbox/main.js; src/cli/x.ts (tsx) runs src/sandbox/main.ts through tsx. */
function sandboxCommand(): string[] {
  const fromSource = import.meta.url.endsWith('.ts');
  const main = path.join(import.meta.dirname, '..', 'sandbox', fromSource ? 'main.ts' : 'main.js');
  if (!fromSource) return [main];
  const tsx = pathToFileURL(path.join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  return ['--import', tsx, main];
}

export async function startSandboxChild(username: string): Promise<SandboxChild> {
  const proc: ChildProcess = spawn(process.execPath, sandboxCommand(), {
    env: { PATH: process.env['PATH'], SANDBOX_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail('it did not start within 15 s'), 15_000);
    function fail(why: string) {
      clearTimeout(timer);
      proc.kill();
      reject(new CliError(EXIT.failed, `The sandbox could not be started: ${why}.`));
    }
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Thingiverse sandbox at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.stderr!.resume();
    proc.once('exit', () => fail('it exited'));
  });
  proc.stdout!.resume();
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  // If the command ends in a way we did not plan for, the child must not outlive it.
  process.once('exit', () => proc.kill('SIGKILL'));
  const target: Target = { apiUrl: url, siteUrl: url, clientId: sandboxClientId(), redirectUri: `${url}/callback` };
  return {
    target,
    stop,
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
