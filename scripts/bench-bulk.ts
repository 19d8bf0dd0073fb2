// The bulk rows, each run for a fresh user with no likes (the sandbox's load users), checked
// with the sandbox's own counts (bench-import.ts: 0 lost, 0 duplicated, 0 answered 429).
// - Sustained throughput: against a budget scaled down (sandbox and app alike, e.g. 150 per
//   3 s), an import long enough to refill the window three times; what the job keeps up once
//   its first window is spent, against the budget the job may use (the window minus the
//   reserve it leaves for page views), from the times the sandbox answered each like.
// - 200 likes against the real budget (300 per 5 minutes): two jobs of 100 through POST /bulk,
//   the way a user would send two pages.
import { performance } from 'node:perf_hooks';
import { login, request } from './bench-http.js';
import type { AppProc, SandboxProc } from './bench-procs.js';
import { importIds, outcome, popularIds, waitForJob, type ImportRun, type Outcome } from './bench-import.js';
import { median, sustained, verdict, type Row } from './bench-report.js';

const correct = (o: Outcome) => o.lost === 0 && o.duplicated === 0 && o.status429 === 0 && o.failed === 0;
const counts = (os: Outcome[]) => {
  const sum = (k: keyof Outcome) => os.reduce((n, o) => n + o[k], 0);
  return `${sum('lost')} lost, ${sum('duplicated')} dup, ${sum('status429')} answered 429, ${sum('failed')} failed`;
};

export async function bulkSustained(sb: SandboxProc, app: AppProc, users: string[], budget: { limit: number; windowMs: number }, jobShare: number): Promise<Row> {
  // Four windows' worth of the job's share: the first is spent at once, three more refill.
  const ids = await popularIds(sb, 4 * jobShare);
  const runs: (ImportRun & { perWindow: number; rate: number; windows: number })[] = [];
  for (const user of users) {
    const s = await login(app, sb.port, user);
    const run = await importIds(sb, app, s, user, ids);
    const perWindow = run.budget?.perWindow ?? jobShare;
    runs.push({ ...run, perWindow, ...sustained(run.stats.likedAt, perWindow, budget.windowMs) });
  }
  const share = (r: (typeof runs)[number]) => r.rate / (r.perWindow / (budget.windowMs / 1000));
  const ratio = median(runs.map(share));
  const windows = Math.min(...runs.map((r) => r.windows));
  const r0 = runs[0]!;
  return verdict({
    name: `bulk: ${ids.length} likes at ${budget.limit} per ${budget.windowMs / 1000} s`,
    samples: runs.map((r) => ({ p50: NaN, p99: NaN, rps: r.rate })), rssMb: app.peakRssMb(),
  }, `${ratio.toFixed(2)}x the ${r0.perWindow} per ${budget.windowMs / 1000} s left for jobs; ${windows.toFixed(1)} windows; ${counts(runs)}`,
  '>= 0.90x over >= 3 windows, 0 lost/dup/429', ratio >= 0.9 && windows >= 3 && runs.every(correct));
}

/** 200 likes in two jobs of 100 (the cap of one job) for each user, against the real budget. */
export async function bulkReal(sb: SandboxProc, app: AppProc, users: string[], count = 200): Promise<Row> {
  const ids = await popularIds(sb, count);
  const runs: (Outcome & { seconds: number })[] = [];
  for (const user of users) {
    const s = await login(app, sb.port, user);
    await sb.resetStats();
    const headers = { host: app.host, cookie: s.cookie, accept: 'application/json' };
    let failed = 0;
    const t0 = performance.now();
    for (let i = 0; i < ids.length; i += 100) {
      const body = [`_csrf=${encodeURIComponent(s.csrf)}`, 'action=like', ...ids.slice(i, i + 100).map((id) => `ids=${id}`)].join('&');
      const started = await request(app.port, 'POST', '/bulk', { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body });
      if (started.status !== 202) throw new Error(`POST /bulk answered ${started.status}: ${started.body.slice(0, 200)}`);
      failed += (await waitForJob(app, s, (JSON.parse(started.body) as { url: string }).url)).counts.failed;
    }
    const seconds = (performance.now() - t0) / 1000;
    runs.push({ seconds, ...(await outcome(sb, user, ids, await sb.stats(), failed)) });
  }
  const secs = median(runs.map((r) => r.seconds));
  return verdict({
    name: `bulk: ${count} likes (2 jobs of 100), real budget`,
    samples: runs.map((r) => ({ p50: NaN, p99: NaN, rps: count / r.seconds })), rssMb: app.peakRssMb(),
  }, `${secs.toFixed(1)} s (median); ${counts(runs)}`, '< 60 s, 0 lost/dup/429', secs < 60 && runs.every(correct));
}
