// The client's time: when a retry or a rate-limit hold is over, and how a wait is waited.
// Injected (ClientOptions.clock) so a test can check the wait a Retry-After asks for without
// spending it, while the requests themselves still go over real sockets.
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Real time; an unref'd timer, so a wait never holds a stopping process open. */
export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()),
};
