// A pure function of a string, remembered: the same URLs come back on every page view and
// every refresh of a cached list, and judging one means a WHATWG URL parse (a few µs each,
// hundreds per page). Bounded without bookkeeping: a full memory simply starts again, and
// strings longer than a real URL are judged each time, never kept, so a hostile answer
// cannot make the memory large (5,000 x 512 characters at most, about 5 MB).
export function memoByString<T>(fn: (s: string) => T, maxEntries = 5_000, maxLength = 512): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    if (s.length > maxLength) return fn(s);
    if (seen.has(s)) return seen.get(s) as T;
    const value = fn(s);
    if (seen.size >= maxEntries) seen.clear();
    seen.set(s, value);
    return value;
  };
}
