// Progress for long runs, on stderr: a bar with an ETA on a terminal (cli-progress), plain
// lines about every 5% otherwise, so logs of a cron job stay readable.
import cliProgress from 'cli-progress';

export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

export function createProgress(total: number, title: string, opts: { noColor: boolean }): Progress {
  if (process.stderr.isTTY && total > 1) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${title} [{bar}] {value}/{total} | ETA {eta_formatted} {label}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
        noTTYOutput: false,
        ...(opts.noColor ? { barCompleteChar: '#', barIncompleteChar: '-' } : {}),
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { label: '' });
    return { tick: (label = '') => bar.increment(1, { label }), stop: () => bar.stop() };
  }
  let done = 0;
  const every = Math.max(1, Math.floor(total / 20));
  const started = Date.now();
  return {
    tick() {
      done += 1;
      if (done % every !== 0 && done !== total) return;
      const perItem = (Date.now() - started) / done;
      const eta = Math.round((perItem * (total - done)) / 1000);
      process.stderr.write(`${title}: ${done}/${total}${done < total ? ` (about ${eta} s left)` : ''}\n`);
    },
    stop() {},
  };
}
