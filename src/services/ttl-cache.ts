// A small TTL cache with single flight: while one load for a key is running, every other
// caller for that key waits for the same promise, so a burst of page views after expiry
// costs one upstream call. Failures are not cached.
export interface TtlCache<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
  /** How many loads actually ran (for tests and the benchmark). */
  readonly loads: number;
}

export function createTtlCache<T>(opts: { ttlMs: number; maxEntries?: number; now?: () => number }): TtlCache<T> {
  const now = opts.now ?? Date.now;
  const maxEntries = opts.maxEntries ?? 200;
  const fresh = new Map<string, { value: T; expires: number }>();
  const inflight = new Map<string, Promise<T>>();
  let loads = 0;

  return {
    get loads() {
      return loads;
    },
    clear() {
      fresh.clear();
    },
    async get(key, load) {
      const hit = fresh.get(key);
      if (hit && hit.expires > now()) return hit.value;
      const running = inflight.get(key);
      if (running) return running;
      loads += 1;
      const p = load()
        .then((value) => {
          if (opts.ttlMs > 0) {
            fresh.delete(key); // re-insert so Map order is least-recently-loaded first
            fresh.set(key, { value, expires: now() + opts.ttlMs });
            if (fresh.size > maxEntries) fresh.delete(fresh.keys().next().value as string);
          }
          return value;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, p);
      return p;
    },
  };
}
