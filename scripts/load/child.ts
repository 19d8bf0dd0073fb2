// Starts, restarts and questions the app child process. The child runs with --expose-gc so
// "after the run" memory is measured after a full GC; its logs (LOG_LEVEL=warn: failures
// only) are read line by line to count 500s and spot anything that is not a clean JSON line.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import readline from 'node:readline';

const ROOT = path.join(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface Mem { heapUsed: number; rss: number }

export interface LogTally { lines: number; failed500: number; unclean: number }

export class AppChild {
  private proc: ChildProcess | undefined;
  /** Exits we did not ask for. */
  crashes = 0;
  readonly log: LogTally = { lines: 0, failed500: 0, unclean: 0 };
  private expectingExit = false;

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const proc = fork(path.join(import.meta.dirname, 'app-process.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', TSX, '--expose-gc'],
      env: { ...process.env, THINGIVERSE_CLIENT_ID: '', NODE_ENV: 'production', LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.proc = proc;
    for (const stream of [proc.stdout!, proc.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => this.tally(line));
    }
    proc.on('exit', (code) => {
      if (!this.expectingExit) {
        this.crashes += 1;
        console.error(`app process exited unexpectedly (code ${code}); restarting`);
        void this.start();
      }
    });
    await new Promise<void>((resolve, reject) => {
      proc.once('message', (m: { type?: string }) => (m.type === 'ready' ? resolve() : reject(new Error('unexpected message'))));
      proc.once('exit', (code) => reject(new Error(`app process exited during start (code ${code})`)));
    });
  }

  private tally(line: string): void {
    this.log.lines += 1;
    try {
      const entry = JSON.parse(line) as { status?: number };
      if (entry.status === 500) this.log.failed500 += 1;
      if (/\n\s+at |"stack":"[^"]|bearer/i.test(line)) this.log.unclean += 1;
    } catch {
      this.log.unclean += 1;
      console.error(`app wrote a line that is not JSON: ${line.slice(0, 200)}`);
    }
  }

  mem(gc = false): Promise<Mem> {
    const proc = this.proc!;
    return new Promise((resolve) => {
      const onMessage = (m: { type?: string } & Mem) => {
        if (m.type !== 'mem') return;
        proc.off('message', onMessage);
        resolve({ heapUsed: m.heapUsed, rss: m.rss });
      };
      proc.on('message', onMessage);
      proc.send({ type: 'mem', gc });
    });
  }

  /** SIGTERM (graceful stop), wait for exit 0, start again on the same port and data folder. */
  async restart(): Promise<{ exitCode: number | null; cut: number | null; stopMs: number; downMs: number }> {
    const t0 = Date.now();
    const { code, cut } = await this.stop();
    const stopMs = Date.now() - t0;
    await this.start();
    return { exitCode: code, cut, stopMs, downMs: Date.now() - t0 };
  }

  /** SIGTERM and wait: the exit code, and how many requests the app had to cut at its grace limit. */
  async stop(): Promise<{ code: number | null; cut: number | null }> {
    const proc = this.proc!;
    this.expectingExit = true;
    let cut: number | null = null;
    proc.on('message', (m: { type?: string; cut?: number }) => {
      if (m.type === 'stopped') cut = m.cut ?? null;
    });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    const code = await exited;
    this.expectingExit = false;
    return { code, cut };
  }
}
