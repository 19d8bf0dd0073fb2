// Turns the measured rows into the table `npm run bench` prints (and docs/performance.md
// keeps): latency, throughput and the app's peak RSS per row, the ratio to the upstream row
// measured in the same run, and PASS/FAIL against issue 5's targets.
import { percentile, type Measured } from './bench-http.js';
import type { BulkResult } from './bench-bulk.js';

export interface Row {
  name: string;
  p50: number; p99: number; rps: number;
  /** The app's peak RSS so far (MB), or null for upstream rows. */
  rssMb: number | null;
  vs?: string;
  target?: string;
  pass?: boolean;
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '-');

export function row(name: string, m: Measured, rssMb: number | null, times: 'single' | 'trip' = 'single'): Row {
  if (times === 'trip') {
    const t = m.extra ?? [];
    return { name, p50: percentile(t, 50), p99: percentile(t, 99), rps: m.rps, rssMb };
  }
  return { name, p50: m.p50, p99: m.p99, rps: m.rps, rssMb };
}

/** app p50 ≤ factor × upstream p50 + plusMs */
export function ratio(app: Row, up: Row, factor: number, plusMs: number | null): Row {
  const limit = plusMs === null ? NaN : factor * up.p50 + plusMs;
  return {
    ...app,
    vs: `${(app.p50 / up.p50).toFixed(3)}x (${app.p50 - up.p50 >= 0 ? '+' : ''}${f1(app.p50 - up.p50)} ms)`,
    ...(plusMs === null ? {} : { target: `p50 <= ${factor}x up + ${plusMs} = ${f1(limit)}`, pass: app.p50 <= limit }),
  };
}

export function table(rows: Row[]): string[] {
  const head = ['row', 'p50 ms', 'p99 ms', 'req/s', 'app peak RSS', 'app vs upstream', 'target', 'result'];
  const cells = rows.map((r) => [
    r.name, f1(r.p50), f1(r.p99), f0(r.rps), r.rssMb === null ? '-' : `${f1(r.rssMb)} MB`,
    r.vs ?? '', r.target ?? '', r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => (i >= 1 && i <= 4 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i >= 1 && i <= 4 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...cells.map(line)];
}

export function bulkRow(b: BulkResult): Row & { detail: string } {
  const pass = b.seconds < 60 && b.lost === 0 && b.duplicated === 0 && b.status429 === 0 && b.failed === 0;
  return {
    name: 'bulk: 200 likes (2 jobs of 100)', p50: NaN, p99: NaN, rps: 200 / b.seconds, rssMb: null,
    vs: `${b.seconds.toFixed(1)} s total`,
    target: '< 60 s, 0 lost, 0 dup, 0 429', pass,
    detail: `${b.liked}/200 liked, ${b.lost} lost, ${b.duplicated} duplicated, ${b.status429} answered 429, ${b.failed} failed; ` +
      `${b.upstreamCalls} upstream calls for the user's token (budget 300 per 5 min, the job keeps 50 for page views)`,
  };
}
