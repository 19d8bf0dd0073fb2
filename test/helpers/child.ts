// Runs src/main.ts (npm start's program) as a real child process (node --import tsx, one process, so signals
// reach it directly; npm would not forward them), on free ports with its own data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.join(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs a program of this package from source (node --import tsx), capturing its output, and
 * resolves once `ready` finds what it waits for in that output (or rejects with the output).
 */
async function spawnProgram<T>(entry: string, env: NodeJS.ProcessEnv, ready: (out: string) => T | undefined, what: string) {
  const proc = spawn(process.execPath, ['--import', TSX, entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })));
  const value = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), 15_000);
    proc.stdout!.on('data', () => {
      const found = ready(out);
      if (found === undefined) return;
      clearTimeout(timer);
      resolve(found);
    });
    void exited.then(() => reject(new Error(`${what} exited during start:\n${out}`)));
  });
  return { child: { proc, output: () => out, exited } as Child, value };
}

/** Starts the server and resolves once it says it is ready (or rejects with its output). */
export async function startServer(env: Record<string, string>, entry = 'src/main.ts'): Promise<Child> {
  // THINGIVERSE_CLIENT_ID='' forces sandbox mode even if a developer's .env says otherwise.
  const full = { ...process.env, THINGIVERSE_CLIENT_ID: '', NODE_ENV: 'production', LOG_LEVEL: 'info', ...env };
  return (await spawnProgram(entry, full, (out) => (/is ready/.test(out) ? true : undefined), 'server')).child;
}

export interface SandboxProgram extends Child {
  /** The settings it printed for an app's .env (THINGIVERSE_API_URL, …). */
  settings: Record<string, string>;
  url: string;
}

/** Runs the sandbox program as `npm run sandbox` does (from source), on a free port. */
export async function startSandboxProgram(env: Record<string, string> = {}): Promise<SandboxProgram> {
  const ready = (out: string) => {
    const m = /^SANDBOX_READY (.+)$/m.exec(out);
    return m ? (JSON.parse(m[1]!) as { url: string }).url : undefined;
  };
  const { child, value: url } = await spawnProgram('src/sandbox/main.ts', { PATH: process.env.PATH, SANDBOX_PORT: '0', ...env }, ready, 'sandbox');
  const settings = Object.fromEntries([...child.output().matchAll(/^(THINGIVERSE_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  return { ...child, settings, url };
}
