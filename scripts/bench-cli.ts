// The command line's rows: start-up of `thingiverse-likes --help` against `node -e 0` (the
// floor any Node program pays), alternating, and `likes ids` for a user with 10,000 likes,
// each the median of several runs of the real built CLI (bin/thingiverse-likes.cjs, the
// command npx runs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxToken } from './bench-http.js';
import { median, timedRow, verdict, type Row } from './bench-report.js';
import type { SandboxProc } from './bench-procs.js';

const CLI = path.join(import.meta.dirname, '..', 'bin', 'thingiverse-likes.cjs');
const RUNS = 9;

function timed(args: string[], env: NodeJS.ProcessEnv): { ms: number; out: string; code: number | null } {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - t0, out: run.stdout, code: run.status };
}

export async function benchCli(sb: SandboxProc, heavyUser: string, heavyLikes: number, runs = RUNS): Promise<Row[]> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-bench-cli-'));
  const env = { PATH: process.env.PATH, XDG_CONFIG_HOME: home, NO_COLOR: '1' };
  // Alternating, like every other pair: a busy moment slows both sides.
  const floor: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < runs; i++) {
    floor.push(timed(['-e', '0'], env).ms);
    help.push(timed([CLI, '--help'], env).ms);
  }

  const token = await sandboxToken(sb.port, heavyUser);
  const idsEnv = { ...env, THINGIVERSE_TOKEN: token };
  const args = [CLI, '--api-url', sb.url, '--site-url', sb.url, 'likes', 'ids'];
  const ids = Array.from({ length: 3 }, () => timed(args, idsEnv));
  const counts = ids.map((r) => r.out.split('\n').filter(Boolean).length);
  fs.rmSync(home, { recursive: true, force: true });
  const f = median(floor);
  return [
    timedRow('node -e 0 (start-up floor)', floor),
    verdict(timedRow('CLI --help start-up', help), `${(median(help) / f).toFixed(2)}x node -e 0`, '<= 1.5x node -e 0', median(help) <= 1.5 * f),
    verdict(timedRow(`CLI likes ids, ${heavyLikes.toLocaleString('en')} likes`, ids.map((r) => r.ms)),
      `${counts.join(' / ')} ids printed`, `all ${heavyLikes.toLocaleString('en')} ids`, ids.every((r) => r.code === 0) && counts.every((n) => n === heavyLikes)),
  ];
}
