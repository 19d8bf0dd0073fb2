// The popular-page cache on its own: TTL on a fake clock, single flight, failures never
// cached, and a bound on how much it keeps.
import { describe, it, expect } from '@jest/globals';
import { createTtlCache } from '../src/services/ttl-cache.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** A load that resolves only when told to, counting its calls. */
function gate<T>(value: T) {
  let calls = 0;
  let release!: () => void;
  let fail!: (err: Error) => void;
  const load = () => {
    calls += 1;
    return new Promise<T>((resolve, reject) => {
      release = () => resolve(value);
      fail = reject;
    });
  };
  return { load, calls: () => calls, release: () => release(), fail: (e: Error) => fail(e) };
}

describe('TtlCache', () => {
  it('serves a value until its TTL runs out, then loads again', async () => {
    const c = clock();
    const cache = createTtlCache<string>({ ttlMs: 30_000, now: c.now });
    let n = 0;
    const load = async () => `v${++n}`;
    expect(await cache.get('p1', load)).toBe('v1');
    c.advance(29_999);
    expect(await cache.get('p1', load)).toBe('v1');
    c.advance(1);
    expect(await cache.get('p1', load)).toBe('v2');
    expect(cache.loads).toBe(2);
  });

  it('keys are independent', async () => {
    const cache = createTtlCache<string>({ ttlMs: 1000, now: clock().now });
    expect(await cache.get('a', async () => 'A')).toBe('A');
    expect(await cache.get('b', async () => 'B')).toBe('B');
    expect(await cache.get('a', async () => 'other')).toBe('A');
  });

  it('single flight: 50 concurrent misses for one key cost one load and all get its value', async () => {
    const cache = createTtlCache<string>({ ttlMs: 1000, now: clock().now });
    const g = gate('shared');
    const all = Promise.all(Array.from({ length: 50 }, () => cache.get('k', g.load)));
    g.release();
    expect(await all).toEqual(Array(50).fill('shared'));
    expect(g.calls()).toBe(1);
    expect(cache.loads).toBe(1);
  });

  it('single flight works with caching off (ttl 0), but nothing is kept afterwards', async () => {
    const cache = createTtlCache<number>({ ttlMs: 0, now: clock().now });
    const g = gate(7);
    const burst = Promise.all([cache.get('k', g.load), cache.get('k', g.load), cache.get('k', g.load)]);
    g.release();
    expect(await burst).toEqual([7, 7, 7]);
    expect(g.calls()).toBe(1);
    await cache.get('k', async () => 8);
    expect(cache.loads).toBe(2);
  });

  it('a failure reaches every waiter of that flight and is not cached: the next call loads again', async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000, now: clock().now });
    const g = gate('x');
    const waiters = [cache.get('k', g.load), cache.get('k', g.load)];
    g.fail(new Error('upstream down'));
    for (const w of waiters) await expect(w).rejects.toThrow('upstream down');
    expect(await cache.get('k', async () => 'recovered')).toBe('recovered');
    expect(cache.loads).toBe(2);
  });

  it('shares successes only: when the shared load fails, a waiter with another owner loads with its own', async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000, now: clock().now });
    const a = gate('from A');
    const b = gate('from B');
    const ofA = cache.get('k', a.load, 'A');
    const ofB = cache.get('k', b.load, 'B');
    const alsoA = cache.get('k', a.load, 'A');
    expect(b.calls()).toBe(0); // B joined A's flight
    a.fail(new Error("A's token is dead"));
    await expect(ofA).rejects.toThrow("A's token is dead");
    await expect(alsoA).rejects.toThrow("A's token is dead");
    await new Promise((r) => setImmediate(r));
    expect(b.calls()).toBe(1);
    b.release();
    expect(await ofB).toBe('from B');
    // B's success is shared from now on.
    expect(await cache.get('k', async () => 'unused', 'C')).toBe('from B');
    expect(a.calls()).toBe(1);
  });

  it('after a failed shared load, waiters with the same other owner share one retry', async () => {
    const cache = createTtlCache<number>({ ttlMs: 0, now: clock().now });
    const a = gate(1);
    const b = gate(2);
    const first = cache.get('k', a.load, 'A');
    const twoOfB = [cache.get('k', b.load, 'B'), cache.get('k', b.load, 'B')];
    a.fail(new Error('429 for A'));
    await expect(first).rejects.toThrow('429 for A');
    await new Promise((r) => setImmediate(r));
    b.release();
    expect(await Promise.all(twoOfB)).toEqual([2, 2]);
    expect(b.calls()).toBe(1);
  });

  it('keeps at most maxEntries values, dropping the least recently loaded', async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000, maxEntries: 3, now: clock().now });
    for (const k of ['a', 'b', 'c', 'd']) await cache.get(k, async () => k);
    expect(cache.loads).toBe(4);
    // b, c, d are kept; a was dropped and loads again.
    for (const k of ['b', 'c', 'd']) await cache.get(k, async () => 'reloaded');
    expect(cache.loads).toBe(4);
    expect(await cache.get('a', async () => 'a2')).toBe('a2');
    expect(cache.loads).toBe(5);
  });

  it('clear() forgets every value', async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000, now: clock().now });
    await cache.get('k', async () => 'old');
    cache.clear();
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });
});
