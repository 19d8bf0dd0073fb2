// The bench's verdicts, without running the bench (issue 13): medians and spreads of runs,
// targets judged on medians, the warm page's ratio to the bare server as the median of its
// A B pairs, the scale rows, a bulk job's sustained rate, and the printed table.
import { describe, it, expect } from '@jest/globals';
import {
  median, pairRatio, row, sustained, table, timedRow, verdict, vsBare, vsLight, vsUpstream, withSpread,
} from '../scripts/bench-report.js';
import { percentile, type Measured } from '../scripts/bench-http.js';

const m = (p50: number, rps = 100, extra?: number[]): Measured => ({ p50, p99: p50 * 2, rps, ok: 100, bad: 0, sent: 100, ...(extra ? { extra } : {}) });
const runs = (...p50s: number[]) => p50s.map((p) => m(p));

describe('bench verdicts', () => {
  it('median of odd and even counts, NaN ignored; spread shows min–max only for several runs', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([NaN, 5]), median([])]).toEqual([2, 2.5, 5, NaN]);
    expect(withSpread([15, 14.2, 16.1], (n) => n.toFixed(1))).toBe('15.0 (14.2–16.1)');
    expect(withSpread([15], (n) => n.toFixed(1))).toBe('15.0');
    expect(withSpread([NaN], (n) => n.toFixed(1))).toBe('-');
  });

  it('a latency target is judged on the medians: one slow run does not fail it, two do', () => {
    const up = row('up', runs(50, 49, 51), null); // median 50 → limit 1.1 × 50 + 2 = 57
    expect(vsUpstream(row('app', runs(56, 90, 57), 80), up, 1.1, 2).pass).toBe(true);
    expect(vsUpstream(row('app', runs(56, 90, 58), 80), up, 1.1, 2).pass).toBe(false);
    expect(vsUpstream(row('app', runs(55, 55, 55), 80), up, 1.1, 2).vs).toBe('1.100x (+5.0 ms)');
    expect(vsUpstream(row('app', runs(52), 80), row('up', runs(50), null), 1, 2).target).toBe('p50 <= up + 2 = 52.0');
  });

  it('a row without a target has no verdict; a row with errors fails whatever its figures', () => {
    expect(vsUpstream(row('app', runs(70), 80), row('up', runs(60), null), 1.1, null).pass).toBeUndefined();
    const errors = row('app', [m(10), { ...m(10), bad: 3 }], 80);
    expect(errors.pass).toBe(false);
    const judged = vsUpstream(errors, row('up', runs(50), null), 1.1, 2);
    expect(judged.pass).toBe(false);
    expect(judged.vs).toMatch(/3 errors/);
  });

  it('round trips are judged on their own times (extra), not on single calls', () => {
    const up = row('up', [m(10, 100, [100, 101, 102, 103])], null, 'trip');
    expect(up.samples[0]!.p50).toBe(101);
    expect(vsUpstream(row('app', [m(1, 100, [107, 108, 109, 110])], 80, 'trip'), up, 1.05, 3).pass).toBe(true); // 108 <= 109.05
    expect(vsUpstream(row('app', [m(1, 100, [110, 111, 112, 113])], 80, 'trip'), up, 1.05, 3).pass).toBe(false);
  });

  it('warm vs bare: the median of per-pair ratios, and any upstream call fails it', () => {
    // Pairs 0.25, 0.40, 0.35: median 0.35, while the ratio of medians would be 400 / 1500 = 0.27.
    expect(pairRatio([250, 400, 700], [1000, 1000, 2000])).toBeCloseTo(0.35);
    const warm = row('warm', [m(5, 250), m(5, 400), m(5, 700)], 80);
    const bare = row('bare', [m(1, 1000), m(1, 1000), m(1, 2000)], null);
    expect(vsBare(warm, bare, 0.3, 0).pass).toBe(true);
    expect(vsBare(warm, bare, 0.36, 0).pass).toBe(false);
    expect(vsBare(warm, bare, 0.3, 1).pass).toBe(false);
  });

  it('scale: the 10,000-likes median within 1.2x of the 10-likes median', () => {
    const light = row('light', runs(10, 11, 30), 80); // median 11 → limit 13.2
    expect(vsLight(row('heavy', runs(13.2, 13, 40), 80), light, 1.2).pass).toBe(true);
    expect(vsLight(row('heavy', runs(13.3, 13.4, 5), 80), light, 1.2).pass).toBe(false);
  });

  it('verdict adds to a row without undoing an earlier failure', () => {
    const failed = vsLight(row('heavy', runs(20), 80), row('light', runs(10), 80), 1.2);
    expect(verdict(failed, '9 cards').pass).toBe(false);
    expect(verdict(timedRow('x', [1]), 'ok', 't', true).pass).toBe(true);
    expect(verdict(timedRow('x', [1]), 'info').pass).toBeUndefined();
  });

  it('sustained bulk rate: writes after the first window\'s share, per second, and the windows spanned', () => {
    // A job that spends 100 at once every 3 s: bursts at 0, 3, 6 and 9 s (10 ms apart).
    const at = [0, 3000, 6000, 9000].flatMap((t0) => Array.from({ length: 100 }, (_, i) => t0 + i * 10));
    const r = sustained(at, 100, 3000);
    expect(r.rate).toBeCloseTo(300 / 9, 1); // 33.3/s: the budget exactly
    expect(r.windows).toBeCloseTo(3.33, 2);
    // One that waits an extra second each window: 300 writes in 12 s = 25/s, 0.75x.
    const slow = [0, 4000, 8000, 12000].flatMap((t0) => Array.from({ length: 100 }, (_, i) => t0 + i * 10));
    expect(sustained(slow, 100, 3000).rate).toBeCloseTo(300 / 12, 1);
    expect(sustained(at.slice(0, 100), 100, 3000).rate).toBeNaN();
  });

  it('percentiles are nearest-rank on sorted samples', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 50), percentile(xs, 99), percentile([], 50)]).toEqual([50, 99, NaN]);
  });

  it('prints a markdown table with runs, medians with their spread, and PASS/FAIL', () => {
    const lines = table([vsUpstream(row('app', runs(60, 58, 61), 80), row('up', runs(50), null), 1.1, 5)]);
    expect(lines[0]).toMatch(/^\| row +\| runs \| +p50 ms \|/);
    expect(lines[1]).toMatch(/^\|-+\|-+:\|-+:\|/);
    expect(lines[2]).toMatch(/\| +3 \| 60\.0 \(58\.0–61\.0\) \|.*\| +80\.0 MB \|.*\| PASS +\|$/);
  });
});
