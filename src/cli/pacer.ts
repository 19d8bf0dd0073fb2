// Keeps a long run inside Thingiverse's 300 calls per 5 minutes. The count is the client's
// own limiter (every request, retries and login calls included); the pacer waits for a free
// slot before each call, interruptibly and saying so, instead of letting a call give up. A
// 429 (another program spending the same token, e.g. the web app) is waited out when short;
// a long one ends the run cleanly, its state saved, and says when to resume.
import { isUpstreamError } from '../thingiverse/errors.js';
import type { ThingiverseClient } from '../thingiverse/types.js';
import { pause } from './interrupt.js';

/** Longest wait sat out inside a run; beyond that the run stops and can be resumed. */
const MAX_INLINE_WAIT_MS = 65_000;

export interface Pacer {
  run<T>(call: () => Promise<T>): Promise<T>;
}

export function createPacer(
  client: Pick<ThingiverseClient, 'limiter' | 'keyFor'>,
  token: string,
  opts: { signal?: AbortSignal; onWait?: (ms: number) => void } = {},
): Pacer {
  const key = client.keyFor(token);
  /** False when the wait is too long to sit out here. */
  async function waitFor(ms: number): Promise<boolean> {
    if (ms <= 0) return true;
    if (ms > MAX_INLINE_WAIT_MS) return false;
    opts.onWait?.(ms);
    await pause(ms, opts.signal);
    return true;
  }
  return {
    async run(call) {
      for (let attempt = 0; ; attempt++) {
        // A wait too long for here: the call goes ahead and the limiter refuses it with its retry time.
        await waitFor(client.limiter.waitMs(key));
        try {
          return await call();
        } catch (err) {
          // A 429 or a held-back call was not processed, so even a POST may go once more.
          if (!isUpstreamError(err) || err.kind !== 'rate_limited' || attempt > 0 || opts.signal?.aborted) throw err;
          if (!(await waitFor((err.retryAt ?? Date.now()) - Date.now())) || opts.signal?.aborted) throw err;
        }
      }
    },
  };
}
