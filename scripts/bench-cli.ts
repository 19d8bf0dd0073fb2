// The command line's rows: start-up of `thingiverse-likes --help` against `node -e 0` (the
// floor any Node program pays), and `likes ids` for a user with 10,000 likes, each the median
// of several runs of the real built CLI (bin/thingiverse-likes.cjs, the command npx runs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxToken } from './bench-http.js';
import type { Row } from './bench-report.js';
import type { SandboxProc } from './bench-procs.js';

const CLI = path.join(import.meta.dirname, '..', 'bin', 'thingiverse-likes.cjs');
const RUNS = 9;

function timed(args: string[], env: NodeJS.ProcessEnv): { ms: number; out: string; code: number | null } {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - t0, out: run.stdout, code: run.status };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchCli(sb: SandboxProc, heavyUser: string, heavyLikes: number): Promise<Row[]> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-bench-cli-'));
  const env = { PATH: process.env.PATH, XDG_CONFIG_HOME: home, NO_COLOR: '1' };
  const floor = median(Array.from({ length: RUNS }, () => timed(['-e', '0'], env).ms));
  const help = median(Array.from({ length: RUNS }, () => timed([CLI, '--help'], env).ms));

  const token = await sandboxToken(sb.port, heavyUser);
  const idsEnv = { ...env, THINGIVERSE_TOKEN: token };
  const args = [CLI, '--api-url', sb.url, '--site-url', sb.url, 'likes', 'ids'];
  const runs = Array.from({ length: 3 }, () => timed(args, idsEnv));
  const counts = runs.map((r) => r.out.split('\n').filter(Boolean).length);
  const ok = runs.every((r) => r.code === 0) && counts.every((n) => n === heavyLikes);
  return [
    {
      name: 'CLI --help start-up', p50: help, p99: NaN, rps: NaN, rssMb: null,
      vs: `${(help / floor).toFixed(2)}x node -e 0 (${floor.toFixed(1)} ms), median of ${RUNS}`,
      target: '<= 1.5x node -e 0', pass: help <= 1.5 * floor,
    },
    {
      name: `CLI likes ids, ${heavyLikes.toLocaleString('en')} likes`, p50: median(runs.map((r) => r.ms)), p99: NaN, rps: NaN, rssMb: null,
      vs: `${counts.join(' / ')} ids printed, median of 3`, target: `all ${heavyLikes.toLocaleString('en')} ids`, pass: ok,
    },
  ];
}
