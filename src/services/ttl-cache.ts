// A small TTL cache with single flight: while one load for a key is running, every other
// caller for that key waits for the same promise, so a burst of page views after expiry
// costs one upstream call. Only successes are shared: when the shared load fails, each
// waiter with another owner (credential) loads with its own, so user A's 401 or 429 never
// reaches user B, who made no call. Failures are not cached.
export interface TtlCache<T> {
  /** `owner`: who pays for `load` (e.g. the credential's limiter key); waiters with the same owner share its failure. */
  get(key: string, load: () => Promise<T>, owner?: string): Promise<T>;
  clear(): void;
  /** How many loads actually ran (for tests and the benchmark). */
  readonly loads: number;
}

export function createTtlCache<T>(opts: { ttlMs: number; maxEntries?: number; now?: () => number }): TtlCache<T> {
  const now = opts.now ?? Date.now;
  const maxEntries = opts.maxEntries ?? 200;
  const fresh = new Map<string, { value: T; expires: number }>();
  const inflight = new Map<string, { owner: string; promise: Promise<T> }>();
  let loads = 0;

  function start(flightKey: string, key: string, owner: string, load: () => Promise<T>): Promise<T> {
    loads += 1;
    const promise = load()
      .then((value) => {
        if (opts.ttlMs > 0) {
          fresh.delete(key); // re-insert so Map order is least-recently-loaded first
          fresh.set(key, { value, expires: now() + opts.ttlMs });
          if (fresh.size > maxEntries) fresh.delete(fresh.keys().next().value as string);
        }
        return value;
      })
      .finally(() => inflight.delete(flightKey));
    inflight.set(flightKey, { owner, promise });
    return promise;
  }

  /** Joins the flight for flightKey, or starts it. */
  const flight = (flightKey: string, key: string, owner: string, load: () => Promise<T>) =>
    inflight.get(flightKey) ?? { owner, promise: start(flightKey, key, owner, load) };

  return {
    get loads() {
      return loads;
    },
    clear() {
      fresh.clear();
    },
    async get(key, load, owner = '') {
      const hit = fresh.get(key);
      if (hit && hit.expires > now()) return hit.value;
      const shared = flight(key, key, owner, load);
      try {
        return await shared.promise;
      } catch (err) {
        // The failure belongs to whoever made the call; anyone else tries with their own
        // credential (one flight per owner, so one user's burst still costs one call).
        if (shared.owner === owner) throw err;
        return flight(`${key}\u0000${owner}`, key, owner, load).promise;
      }
    },
  };
}
