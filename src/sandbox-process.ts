// Sandbox mode: the fake Thingiverse runs as its own program (src/sandbox/main.ts), a child
// of this process with its own PID and port; the app talks to it over HTTP exactly as to
// thingiverse.com. Started by path, never imported: the app loads no sandbox code.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Config } from './config.js';

export interface SandboxProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const READY = 'SANDBOX_READY ';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 3000;

/** The program next to this file: dist/sandbox/main.js, or src/sandbox/main.ts under tsx (whose
 * loader comes along in execArgv). */
function sandboxMain(): string {
  const ext = path.extname(import.meta.filename);
  return path.join(import.meta.dirname, 'sandbox', `main${ext}`);
}

export async function startSandboxProcess(config: Config): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [...process.execArgv, sandboxMain()], {
    env: {
      PATH: process.env.PATH,
      SANDBOX_PORT: String(config.sandboxPort),
      SANDBOX_REDIRECT_URI: config.redirectUri,
      // The child ends itself when this process is gone, even after a SIGKILL.
      SANDBOX_WATCH_PARENT: '1',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await waitForReady(child);
  // If this process exits by any path, take the child along.
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill);
  return {
    url,
    pid: child.pid as number,
    stop: async () => {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the sandbox did not start: ${why}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.once('exit', (code) => fail(`it exited with code ${code}`));
    lines.on('line', (line) => {
      if (!line.startsWith(READY)) return;
      try {
        const { url } = JSON.parse(line.slice(READY.length)) as { url: string };
        clearTimeout(timer);
        child.removeAllListeners('exit');
        // Keep reading: a full stdout pipe would block the child.
        lines.removeAllListeners('line');
        lines.on('line', () => {});
        resolve(url);
      } catch {
        fail('its ready line was not readable');
      }
    });
  });
}
