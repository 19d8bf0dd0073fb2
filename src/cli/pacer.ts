// Keeps a long run inside Thingiverse's 300 calls per 5 minutes, using the app's own
// sliding-window RateBudget and Backoff (src/services). A 429 from upstream (another program
// using the same token, e.g. the web app) is waited out when the wait is short; a long one
// ends the run cleanly, with its state saved, and says when to resume.
import { RateBudget } from '../services/budget.js';
import { Backoff } from '../services/backoff.js';
import { UpstreamError, isUpstreamError } from '../thingiverse/errors.js';
import { pause } from './interrupt.js';

/** Longest 429 wait sat out inside a run; beyond that the run stops and can be resumed. */
const MAX_INLINE_WAIT_MS = 65_000;
const KEY = 'token';

export interface Pacer {
  run<T>(call: () => Promise<T>): Promise<T>;
  /** Calls made through this pacer. */
  readonly calls: number;
}

export function createPacer(opts: { signal?: AbortSignal; onWait?: (ms: number) => void; now?: () => number } = {}): Pacer {
  const now = opts.now ?? Date.now;
  const budget = new RateBudget(undefined, undefined, now);
  const backoff = new Backoff(now, budget);
  let calls = 0;

  async function waitFor(ms: number) {
    if (ms > MAX_INLINE_WAIT_MS) {
      throw new UpstreamError({ kind: 'rate_limited', message: 'Rate limit: too long to wait here.', operation: 'cli', retryAt: now() + ms });
    }
    opts.onWait?.(ms);
    await pause(ms, opts.signal);
  }

  return {
    get calls() {
      return calls;
    },
    async run(call) {
      for (let attempt = 0; ; attempt++) {
        const wait = budget.waitMs(KEY);
        if (wait > 0) await waitFor(wait);
        calls += 1;
        try {
          return await backoff.run(KEY, 'cli', call);
        } catch (err) {
          // A 429 means the request was not processed, so even a POST may be sent again, once.
          if (!isUpstreamError(err) || err.kind !== 'rate_limited' || attempt > 0 || opts.signal?.aborted) throw err;
          await waitFor(Math.max(0, (err.retryAt ?? now()) - now()));
          if (opts.signal?.aborted) throw err;
        }
      }
    },
  };
}
