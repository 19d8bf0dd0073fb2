// Runs the real, built CLI (node dist/cli/main.cjs, what `npx thingiverse-likes` runs) as a
// child process against a sandbox on port 0, with its own config and data folders, so
// nothing touches the developer's real login. `npm test` builds first (pretest); running
// one file by hand needs `npm run build`, and a stale build is refused with that advice.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, listen } from '../../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/defaults.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/types.js';
import { freePort } from './child.js';

export const ROOT = path.join(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.cjs');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** The CLI runs the app's modules too, so any change under src/ makes the build stale. */
export function assertBuilt(): void {
  if (!fs.existsSync(CLI) || newestMtime(path.join(ROOT, 'dist')) < newestMtime(path.join(ROOT, 'src'))) {
    throw new Error('dist/ is missing or older than src/: run `npm run build` (npm test does it in pretest).');
  }
}

export interface CliSandbox {
  sandbox: Sandbox;
  url: string;
  /** The loopback callback the sandbox has registered for the CLI's browser login. */
  callbackUrl: string;
  close(): Promise<void>;
}

export async function startCliSandbox(opts: SandboxOptions = {}): Promise<CliSandbox> {
  assertBuilt();
  const callbackUrl = `http://localhost:${await freePort()}/callback`;
  const sandbox = createSandbox({ clients: [{ ...SANDBOX_CLIENT, redirectUris: [callbackUrl] }, OTHER_CLIENT], ...opts });
  const server = await listen(sandbox, { port: 0, host: '127.0.0.1' });
  return { sandbox, url: server.url, callbackUrl, close: () => server.close() };
}

/** A second app registered in the sandbox: its tokens must be refused (tokeninfo audience). */
export const OTHER_CLIENT = { ...SANDBOX_CLIENT, name: 'someone else', clientId: 'f00dfacef00dfacef00d', redirectUris: ['http://localhost:1/cb'] };

export interface Home {
  dir: string;
  env: Record<string, string>;
}

/** A fresh HOME with XDG folders, pointed at the sandbox. */
export function makeHome(sbx: CliSandbox, extra: Record<string, string> = {}): Home {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-cli-'));
  return {
    dir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      XDG_CONFIG_HOME: path.join(dir, 'config'),
      XDG_DATA_HOME: path.join(dir, 'data'),
      THINGIVERSE_API_URL: sbx.url,
      THINGIVERSE_SITE_URL: sbx.url,
      PUBLIC_URL: new URL(sbx.callbackUrl).origin,
      NO_COLOR: '1',
      ...extra,
    },
  };
}

export const tokenFile = (home: Home) => path.join(home.dir, 'config', 'thingiverse-likes', 'hosts.json');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliChild {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr matches (or rejects when the process ends first). */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpExecArray>;
  done: Promise<CliRun>;
}

export function spawnCli(args: string[], home: Home, input?: string | Buffer | NodeJS.ReadableStream): CliChild {
  return spawnCommand(process.execPath, [CLI, ...args], home, input);
}

/** Another program in the same home (e.g. script(1) wrapping the CLI in a terminal). */
export function runCommand(command: string, args: string[], home: Home): Promise<CliRun> {
  return spawnCommand(command, args, home).done;
}

function spawnCommand(command: string, args: string[], home: Home, input?: string | Buffer | NodeJS.ReadableStream): CliChild {
  const proc = spawn(command, args, { cwd: home.dir, env: home.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const waiters: { re: RegExp; stream: 'stdout' | 'stderr'; ok: (m: RegExpExecArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.re.exec(out[w.stream]);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.ok(m);
      }
    }
  };
  proc.stdout!.on('data', (d: Buffer) => ((out.stdout += d.toString()), check()));
  proc.stderr!.on('data', (d: Buffer) => ((out.stderr += d.toString()), check()));
  proc.stdin!.on('error', () => {}); // the CLI may stop reading a huge stdin on purpose
  if (input === undefined) proc.stdin!.end();
  else if (typeof input === 'string' || Buffer.isBuffer(input)) proc.stdin!.end(input);
  else input.pipe(proc.stdin!);
  const done = new Promise<CliRun>((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal, stdout: out.stdout, stderr: out.stderr })));
  return {
    proc,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    waitFor: (re, stream = 'stderr') =>
      new Promise((ok, fail) => {
        waiters.push({ re, stream, ok });
        check();
        void done.then(() => fail(new Error(`CLI ended before ${re} appeared:\n${out.stderr}`)));
      }),
    done,
  };
}

export function runCli(args: string[], home: Home, input?: string | Buffer | NodeJS.ReadableStream): Promise<CliRun> {
  return spawnCli(args, home, input).done;
}

/** Log the home in as a sandbox user through `auth login --with-token`. */
export async function loginAs(sbx: CliSandbox, home: Home, user: string): Promise<string> {
  const token = sbx.sandbox.issueToken(user);
  const run = await runCli(['auth', 'login', '--with-token'], home, token + '\n');
  if (run.code !== 0) throw new Error(`login failed: ${run.stderr}`);
  return token;
}
