// The bench's verdicts, without running the bench: the ratio targets of issue 5 computed from
// upstream figures of the same run, the bulk row's conditions, and the printed table.
import { describe, it, expect } from '@jest/globals';
import { bulkRow, ratio, row, table } from '../scripts/bench-report.js';
import { percentile, type Measured } from '../scripts/bench-http.js';

const m = (p50: number, extra?: number[]): Measured => ({ p50, p99: p50 * 2, rps: 100, ok: 100, bad: 0, sent: 100, ...(extra ? { extra } : {}) });

describe('bench verdicts', () => {
  it('cold page: p50 <= 1.10 x upstream p50 + 5 ms, both sides of the line', () => {
    const up = row('up', m(50), null);
    expect(ratio(row('app', m(60), 80), up, 1.1, 5).pass).toBe(true); // limit 60.0
    expect(ratio(row('app', m(60.1), 80), up, 1.1, 5).pass).toBe(false);
    expect(ratio(row('app', m(55), 80), up, 1.1, 5).vs).toBe('1.100x (+5.0 ms)');
  });

  it('like + unlike: compares round trips (extra), not single calls', () => {
    const up = row('up', m(10, [100, 101, 102, 103]), null, 'trip');
    expect(up.p50).toBe(101);
    const app = row('app', m(1, [107, 108, 109, 110]), 80, 'trip');
    expect(ratio(app, up, 1.05, 3).pass).toBe(true); // 108 <= 109.05
    const slow = row('app', m(1, [110, 111, 112, 113]), 80, 'trip');
    expect(ratio(slow, up, 1.05, 3).pass).toBe(false);
  });

  it('a row without a target has no verdict', () => {
    expect(ratio(row('app', m(70), 80), row('up', m(60), null), 1.1, null).pass).toBeUndefined();
  });

  it('bulk passes only when fast enough with nothing lost, duplicated, refused or failed', () => {
    const ok = { seconds: 3, liked: 200, lost: 0, duplicated: 0, status429: 0, failed: 0, rateLimited: 0, upstreamCalls: 201 };
    expect(bulkRow(ok).pass).toBe(true);
    for (const bad of [{ seconds: 60 }, { lost: 1 }, { duplicated: 1 }, { status429: 1 }, { failed: 1 }]) {
      expect(bulkRow({ ...ok, ...bad }).pass).toBe(false);
    }
  });

  it('percentiles are nearest-rank on sorted samples', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 99), percentile([], 50)]).toEqual([50, 99, NaN]);
  });

  it('prints a markdown table with PASS/FAIL', () => {
    const lines = table([ratio(row('app', m(60), 80), row('up', m(50), null), 1.1, 5)]);
    expect(lines[0]).toMatch(/^\| row +\| p50 ms \|/);
    expect(lines[1]).toMatch(/^\|-+\|-+:\|/);
    expect(lines[2]).toMatch(/\| +60\.0 \|.*\| +80\.0 MB \|.*\| PASS +\|$/);
  });
});
