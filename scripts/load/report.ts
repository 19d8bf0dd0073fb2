// Prints the load figures and decides pass/fail against the targets: 0 mismatches, 0 app
// 500s (5xx not mapped from an upstream failure), 0 crashes, 0 lost sessions, clean logs.
import type { Mem } from './child.js';
import type { LogTally } from './child.js';
import { tally } from './http.js';
import { counters } from './vu.js';

export interface Figures {
  users: number; seconds: number; elapsedS: number; faultRate: number; faultsInjected: number;
  loadRequests: number; upstream: number;
  checked: number; mismatches: number; unknownAtEnd: number; finalCards: number; finalMismatches: number;
  restart?: { exitCode: number | null; cut: number | null; stopMs: number; downMs: number; atS: number };
  exitCode: number | null; finalCut: number | null; crashes: number; log: LogTally;
  mem: { start: Mem; peak: Mem; open?: Mem; after?: Mem };
}

const n = (x: number) => x.toLocaleString('en');
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
function pct(sorted: number[], p: number): string {
  if (sorted.length === 0) return '-';
  return `${sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(0)} ms`;
}

export function report(f: Figures): boolean {
  const lat = tally.latencies.slice().sort((a, b) => a - b);
  const byStatus = [...tally.byStatus].sort(([a], [b]) => a.localeCompare(b)).map(([s, c]) => `${s}: ${n(c)}`).join(', ');
  const neterr = [...tally.neterr].map(([c, k]) => `${c}: ${n(k)}`).join(', ') || 'none';
  const app500 = tally.byStatus.get('500') ?? 0;
  const lines = [
    `load: ${f.users} virtual users for ${f.seconds} s (ran ${f.elapsedS.toFixed(1)} s), faults on ${(f.faultRate * 100).toFixed(0)}% of actions, restart: ${f.restart ? 'yes' : 'no'}`,
    `requests: ${n(tally.requests)} in all (${n(f.loadRequests)} during the run, ${n(Math.round(f.loadRequests / f.elapsedS))}/s); upstream calls: ${n(f.upstream)}; faults injected: ${n(f.faultsInjected)}`,
    `latency: p50 ${pct(lat, 50)}, p95 ${pct(lat, 95)}, p99 ${pct(lat, 99)}, max ${pct(lat, 100)}`,
    `by status: ${byStatus}`,
    `connection errors (no HTTP answer): ${neterr}`,
    `two-tab like/unlike races: ${n(counters.races)}; bulk jobs: ${n(counters.bulkJobs)}, ${n(counters.logoutsDuringJobs)} with a logout while running`,
    `like/unlike answers: ${n(counters.confirmedAnswers)} confirmed, ${n(counters.definiteFailures)} failed (not done, said so), ${n(counters.unconfirmedAnswers)} "could not confirm"`,
    `MISMATCHES confirmed state vs sandbox: ${f.mismatches} of ${n(f.checked)} confirmed (user, thing) states; still unconfirmed at the end: ${f.unknownAtEnd}`,
    `page views showing a state other than the one confirmed: ${counters.pageMismatches}; final page views vs sandbox: ${f.finalMismatches} of ${n(f.finalCards)} cards`,
    `app 500s (5xx not mapped from upstream): ${app500} (log lines at status 500: ${f.log.failed500}); unclean log lines: ${f.log.unclean} of ${n(f.log.lines)}`,
    `sessions lost: ${counters.lostSessions}; crashes: ${f.crashes}; app exit code at the end: ${f.exitCode} (requests cut: ${f.finalCut})`,
    ...(f.restart
      ? [`restart at ${f.restart.atS.toFixed(1)} s: SIGTERM, stopped in ${f.restart.stopMs} ms with exit code ${f.restart.exitCode} ` +
        `and ${f.restart.cut} requests cut at the grace limit; serving again ${f.restart.downMs} ms after the SIGTERM`]
      : []),
    `app memory (after a full GC where marked): heap ${mb(f.mem.start.heapUsed)} at start (GC), ${mb(f.mem.peak.heapUsed)} peak, ` +
      `${f.mem.open ? mb(f.mem.open.heapUsed) : '-'} 1 s after the run with the clients' connections still open (GC), ` +
      `${f.mem.after ? mb(f.mem.after.heapUsed) : '-'} once they closed (GC)`,
    `app RSS: ${mb(f.mem.start.rss)} at start, ${mb(f.mem.peak.rss)} peak, ${f.mem.open ? mb(f.mem.open.rss) : '-'} and ${f.mem.after ? mb(f.mem.after.rss) : '-'} after`,
  ];
  console.log(lines.join('\n'));
  const ok = f.mismatches === 0 && f.finalMismatches === 0 && counters.pageMismatches === 0 && app500 === 0 && f.log.failed500 === 0 &&
    f.crashes === 0 && counters.lostSessions === 0 && f.log.unclean === 0 && f.exitCode === 0 && f.finalCut === 0 &&
    (!f.restart || (f.restart.exitCode === 0 && f.restart.cut === 0));
  console.log(ok ? 'result: all targets met' : 'result: TARGETS MISSED');
  return ok;
}
