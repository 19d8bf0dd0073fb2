// Ctrl-C during a long run: the first one asks the loop to stop after the write in flight
// (so nothing is left half-known), the second quits at once. Loops poll `stopped`; waits
// end early through `signal`.
export interface Interrupt {
  readonly stopped: boolean;
  readonly signal: AbortSignal;
  dispose(): void;
}

export function watchInterrupt(say: (text: string) => void): Interrupt {
  const controller = new AbortController();
  let count = 0;
  const onSignal = () => {
    count += 1;
    if (count === 1) {
      say('\nStopping after the request in flight (Ctrl-C again to quit at once)…');
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get stopped() {
      return controller.signal.aborted;
    },
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Resolves after ms, or early (without throwing) when the signal fires. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
