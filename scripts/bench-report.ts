// Turns the measured runs into the table `npm run bench` prints (and README.md and
// docs/performance.md keep): per row the median of its runs with their spread (min–max),
// the app's peak RSS, the comparison with what the row is measured against in the same run,
// and PASS/FAIL against issue 13's targets, always judged on medians.
import { percentile, type Measured } from './bench-http.js';

/** One run of a row. */
export interface Sample { p50: number; p99: number; rps: number }

export interface Row {
  name: string;
  /** One per run; NaN where a figure does not apply (e.g. no p99 for a download). */
  samples: Sample[];
  /** The app's peak RSS so far (MB), or null for rows that are not the app. */
  rssMb: number | null;
  vs?: string;
  target?: string;
  pass?: boolean;
}

export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const med = (r: Row, key: keyof Sample) => median(r.samples.map((s) => s[key]));

/**
 * Runs of autocannon (or of round trips, whose times are in `extra`) as a row. Answers that
 * were not 2xx make the row fail: a fast error page is not a fast page.
 */
export function row(name: string, runs: Measured[], rssMb: number | null, times: 'single' | 'trip' = 'single'): Row {
  const samples = runs.map((m) => (times === 'trip'
    ? { p50: percentile(m.extra ?? [], 50), p99: percentile(m.extra ?? [], 99), rps: m.rps }
    : { p50: m.p50, p99: m.p99, rps: m.rps }));
  const bad = runs.reduce((n, m) => n + m.bad, 0);
  return { name, samples, rssMb, ...(bad > 0 ? { vs: `${bad} errors`, pass: false } : {}) };
}

/** A row of single figures per run (a download's time, a CLI start-up), in the p50 column. */
export function timedRow(name: string, ms: number[], rssMb: number | null = null): Row {
  return { name, samples: ms.map((p50) => ({ p50, p99: NaN, rps: NaN })), rssMb };
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '-');
const signed = (n: number) => `${n >= 0 ? '+' : ''}${f1(n)}`;

/** Adds to a row's comparison text (after what is already there) and its verdict. */
function judge(r: Row, vs: string, target?: string, pass?: boolean): Row {
  const failed = r.pass === false;
  return {
    ...r,
    vs: r.vs ? `${r.vs}; ${vs}` : vs,
    ...(target === undefined ? {} : { target }),
    ...(pass === undefined && !failed ? {} : { pass: !failed && pass !== false }),
  };
}

/** Median app p50 <= factor × median upstream p50 + plusMs (no verdict when plusMs is null). */
export function vsUpstream(app: Row, up: Row, factor: number, plusMs: number | null): Row {
  const a = med(app, 'p50');
  const u = med(up, 'p50');
  const vs = `${(a / u).toFixed(3)}x (${signed(a - u)} ms)`;
  if (plusMs === null) return judge(app, vs);
  const limit = factor * u + plusMs;
  return judge(app, vs, `p50 <= ${factor === 1 ? '' : `${factor}x `}up + ${plusMs} = ${f1(limit)}`, a <= limit);
}

/** The median of per-pair ratios a[i] / b[i]: each pair was measured back to back (A B A B). */
export function pairRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x / b[i]!));
}

/** The warm page against the bare server answering its bytes: req/s ratio, and no upstream call. */
export function vsBare(warm: Row, bare: Row, min: number, upstreamCalls: number): Row {
  const r = pairRatio(warm.samples.map((s) => s.rps), bare.samples.map((s) => s.rps));
  return judge(warm, `${r.toFixed(2)}x bare req/s (median of pairs); ${upstreamCalls} upstream /popular calls`,
    `>= ${min.toFixed(2)}x bare, 0 upstream calls`, r >= min && upstreamCalls === 0);
}

/** The same work for a user with many likes: median p50 within `factor` of the light user's. */
export function vsLight(heavy: Row, light: Row, factor: number): Row {
  const h = med(heavy, 'p50');
  const l = med(light, 'p50');
  return judge(heavy, `${(h / l).toFixed(2)}x the 10-likes row`, `p50 <= ${factor}x ${f1(l)} = ${f1(factor * l)}`, h <= factor * l);
}

/** Adds a comparison, target and verdict to a row (for rows judged on something else than latency). */
export function verdict(r: Row, vs: string, target?: string, pass?: boolean): Row {
  return judge(r, vs, target, pass);
}

/** "15.0 (14.2–16.1)": the median, and the range of the runs when there is more than one. */
export function withSpread(xs: readonly number[], fmt: (n: number) => string): string {
  const s = xs.filter((x) => !Number.isNaN(x));
  if (s.length === 0) return '-';
  const m = fmt(median(s));
  return s.length === 1 ? m : `${m} (${fmt(Math.min(...s))}–${fmt(Math.max(...s))})`;
}

export function table(rows: Row[]): string[] {
  const head = ['row', 'runs', 'p50 ms', 'p99 ms', 'req/s', 'app peak RSS', 'compared with', 'target', 'result'];
  const numeric = new Set([1, 2, 3, 4, 5]);
  const cells = rows.map((r) => [
    r.name, String(r.samples.length || 1),
    withSpread(r.samples.map((s) => s.p50), f1), withSpread(r.samples.map((s) => s.p99), f1), withSpread(r.samples.map((s) => s.rps), f0),
    r.rssMb === null ? '-' : `${f1(r.rssMb)} MB`,
    r.vs ?? '', r.target ?? '', r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => (numeric.has(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...cells.map(line)];
}

/**
 * A bulk job's sustained rate from the times its writes were answered: once the first
 * window's share (`perWindow`) is spent, the writes per second that follow,
 * (N − perWindow) / (t_N − t_perWindow); and how many windows the writes span.
 */
export function sustained(at: readonly number[], perWindow: number, windowMs: number): { rate: number; windows: number } {
  const t = [...at].sort((a, b) => a - b);
  const windows = t.length < 2 ? 0 : (t[t.length - 1]! - t[0]!) / windowMs;
  if (t.length <= perWindow) return { rate: NaN, windows };
  return { rate: (t.length - perWindow) / ((t[t.length - 1]! - t[perWindow - 1]!) / 1000), windows };
}
