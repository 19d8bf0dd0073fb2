// Starts and stops the bench's child processes (sandbox, app, the bare server) and reads the
// app's memory from /proc: VmHWM is the kernel's own peak-RSS figure, so no sampling can miss
// a spike; writing 5 to /proc/PID/clear_refs resets it (Linux), for the peak of one download.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const HERE = import.meta.dirname;
const ROOT = path.join(HERE, '..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface SandboxStats {
  routes: Record<string, number>;
  status429: number;
  /** "POST 1234567" → how many times that write arrived. */
  writes: Record<string, number>;
  /** Epoch ms at which each like write (POST) was answered 2xx, in order: the bulk row's timeline. */
  likedAt: number[];
}

/** Lines the app wrote (LOG_LEVEL=warn): mostly requests autocannon cut off at the end of a run. */
export const appLog = { warn: 0, error: 0, other: 0 };

function start(entry: string, env: Record<string, string>, execArgv: string[] = []): Promise<{ proc: ChildProcess; port?: number }> {
  const proc = fork(path.join(HERE, entry), [], {
    cwd: ROOT,
    // The sandbox runs from source (tsx); the app from dist/, like `npm start` (bench-app.mjs).
    execArgv: entry.endsWith('.ts') ? ['--import', TSX, ...execArgv] : execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
    const level = /"level":(\d+)/.exec(line)?.[1];
    if (level === '40') appLog.warn += 1;
    else if (level === '50' || level === '60') {
      appLog.error += 1;
      console.error(`app: ${line.slice(0, 300)}`);
    } else {
      appLog.other += 1;
      if (process.env.BENCH_APP_FLAGS) console.error(`app: ${line}`); // e.g. --trace-gc output
    }
  });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { type?: string; port?: number }) => (m.type === 'ready' ? resolve({ proc, port: m.port }) : reject(new Error(String(m.type)))));
    proc.once('exit', (code) => reject(new Error(`${entry} exited during start (code ${code})`)));
  });
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.disconnect();
    setTimeout(() => proc.kill('SIGKILL'), 15_000).unref();
  });
}

/** A child's RSS now and its peak (VmHWM, the kernel's own figure), in MB. */
function memoryOf(pid: number) {
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return { rssMb: () => kb('VmRSS') / 1024, peakRssMb: () => kb('VmHWM') / 1024 };
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * One sandbox for the whole run (its rate limit lifted, latency as given); rows that need
 * another latency or budget set it through the control API and put it back.
 */
export async function startSandbox(opts: { latencyMs: number; publicUrl: string; heavyLikes?: number; loadUsers?: number }) {
  const { proc, port } = await start('bench-sandbox.ts', {
    BENCH_LATENCY_MS: String(opts.latencyMs), BENCH_PUBLIC_URL: opts.publicUrl,
    BENCH_HEAVY_LIKES: String(opts.heavyLikes ?? 0), BENCH_LOAD_USERS: String(opts.loadUsers ?? 0),
  });
  const ask = (type: 'stats' | 'reset-stats') =>
    new Promise<SandboxStats>((resolve) => {
      const on = (m: { type?: string; stats?: SandboxStats }) => {
        if (m.type !== 'stats') return;
        proc.off('message', on);
        resolve(m.stats!);
      };
      proc.on('message', on);
      proc.send({ type });
    });
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/__sandbox${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`PUT /__sandbox${path} answered ${res.status}: ${await res.text()}`);
  };
  return {
    port: port!, url: `http://127.0.0.1:${port}`, stats: () => ask('stats'), resetStats: () => ask('reset-stats'), stop: () => stop(proc),
    setLatency: (ms: number) => control('/latency', { ms }),
    /** A budget per token, or lifted (the load rows send tens of thousands of calls with one token). */
    setRateLimit: (b: { limit: number; windowMs: number } | 'lifted') => control('/rate-limit', b === 'lifted' ? LIFTED : b),
  };
}

export const LIFTED = { limit: 1_000_000_000, windowMs: 300_000 };

export type SandboxProc = Awaited<ReturnType<typeof startSandbox>>;

/**
 * The node flags `npm start` runs the app with (package.json), so the bench measures the
 * process users get: e.g. --max-semi-space-size, which sets how much memory V8 keeps for
 * short-lived objects (see docs/performance.md).
 */
export function startFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const m = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/main\.js$/.exec(pkg.scripts.start.trim());
  if (!m) throw new Error(`package.json "start" is not "node [--flags] dist/main.js": ${pkg.scripts.start}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
}

type RateLimit = 'lifted' | 'real' | `${number}/${number}`;

/**
 * The environment the bench runs the app with, in sandbox mode against `sandboxPort`.
 * rateLimit: the app's THINGIVERSE_RATE_LIMIT ("requests/seconds"), 'real' (its default 300/300) or lifted.
 */
export function appEnv(opts: { port: number; sandboxPort: number; dataDir: string; popularCacheSeconds: number; rateLimit?: RateLimit }): Record<string, string> {
  const rateLimit = opts.rateLimit ?? 'lifted';
  return {
    THINGIVERSE_CLIENT_ID: '', PORT: String(opts.port), SANDBOX_PORT: String(opts.sandboxPort), DATA_DIR: opts.dataDir,
    ...(rateLimit === 'real' ? {} : { THINGIVERSE_RATE_LIMIT: rateLimit === 'lifted' ? `${LIFTED.limit}/${LIFTED.windowMs / 1000}` : rateLimit }),
    POPULAR_CACHE_SECONDS: String(opts.popularCacheSeconds),
    // The bench measures the app, not its logging: warnings and failures only.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', NODE_ENV: 'production',
  };
}

export async function startApp(opts: { sandboxPort: number; popularCacheSeconds: number; cpuProf?: string; rateLimit?: RateLimit }) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-bench-'));
  const { proc } = await start('bench-app.mjs', appEnv({ ...opts, port, dataDir }), [
    ...startFlags(),
    ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : []),
    // For experiments (e.g. --trace-gc); its output is then echoed.
    ...(process.env.BENCH_APP_FLAGS ?? '').split(' ').filter(Boolean),
  ]);
  return {
    port,
    /** For profiling scripts that read /proc/PID. */
    pid: proc.pid!,
    /** What the app checks the Host header against (canonical host). */
    host: `localhost:${port}`,
    /** Requests the bench's measuring runs sent it (the memory row tops this up to --total). */
    served: 0,
    ...memoryOf(proc.pid!),
    /** Resets VmHWM to the current RSS; false where the kernel does not allow it. */
    resetPeak(): boolean {
      try {
        fs.writeFileSync(`/proc/${proc.pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    memoryUsage: () =>
      new Promise<NodeJS.MemoryUsage>((resolve) => {
        const on = (m: { type?: string } & NodeJS.MemoryUsage) => {
          if (m.type !== 'mem') return;
          proc.off('message', on);
          resolve(m);
        };
        proc.on('message', on);
        proc.send({ type: 'mem' });
      }),
    async stop() {
      await stop(proc);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type AppProc = Awaited<ReturnType<typeof startApp>>;

export interface Recorded { status: number; headers: Record<string, string | string[]>; body: string }

/**
 * The ceiling: plain node:http (no flags, no framework) answering exactly the recorded
 * responses, by path; or, as a memory floor, plain Express 5 answering them (see
 * bench-bare.mjs). Handed over in a file, so the child starts listening ready to answer.
 */
export type BareFramework = 'node:http' | 'express' | 'stack';

export async function startBare(pages: Record<string, Recorded>, framework: BareFramework = 'node:http') {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-bench-bare-')), 'pages.json');
  fs.writeFileSync(file, JSON.stringify(pages));
  const { proc, port } = await start('bench-bare.mjs', { BENCH_BARE_PAGES: file, BENCH_BARE_FRAMEWORK: framework });
  return {
    port: port!, url: `http://127.0.0.1:${port}`,
    ...memoryOf(proc.pid!),
    async stop() {
      await stop(proc);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
}
