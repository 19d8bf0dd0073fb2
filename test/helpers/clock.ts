// A clock to inject as the client's and its limiter's time (ClientOptions.clock, the
// services' upstreamClock): a sleep is recorded and jumps the clock forward at once instead of
// waiting, so a test checks the wait a Retry-After asked for without spending it. The requests
// still go over real sockets: jest's global fake timers would stop got's own timers.
import type { Clock } from '../../src/thingiverse/clock.js';

export interface TestClock extends Clock {
  /** Every wait asked for, in ms, in order. */
  sleeps: number[];
  /** Move the clock forward by hand (e.g. past a 429 hold). */
  advance(ms: number): void;
}

/** With `at`, time stands still there except for sleeps and advance(); without, it is real time plus those jumps. */
export function testClock(opts: { at?: number } = {}): TestClock {
  let jumped = 0;
  const base = opts.at === undefined ? () => Date.now() : () => opts.at!;
  const sleeps: number[] = [];
  return {
    now: () => base() + jumped,
    async sleep(ms) {
      sleeps.push(ms);
      jumped += Math.max(0, ms);
    },
    sleeps,
    advance(ms) {
      jumped += ms;
    },
  };
}
