// better-sqlite3 is synchronous: while another process (a backup, the sqlite3 shell, a second
// instance) holds the write lock, a write waits busy_timeout with the whole event loop stopped.
// So the timeout is short (db.ts), and a write refused as busy is kept here and retried off
// the hot path, in order per group (a session id, a user). Stores answer reads for a group
// with writes still pending from memory, so this process stays consistent with itself.
export const RETRY_EVERY_MS = 250;

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export class WriteBehind {
  private readonly pending = new Map<string, (() => void)[]>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * Writes now, or (database busy, or earlier writes of the group still waiting) queues the
   * write behind them. `supersede`: this write replaces whatever the group has waiting (a
   * session's latest data is all that matters). Returns true when it was written now.
   */
  run(group: string, write: () => void, opts: { supersede?: boolean } = {}): boolean {
    const queue = this.pending.get(group);
    if (queue && opts.supersede) this.pending.delete(group);
    else if (queue) {
      queue.push(write);
      return false;
    }
    try {
      write();
      return true;
    } catch (err) {
      if (!isBusy(err)) throw err;
      this.pending.set(group, [write]);
      this.schedule();
      return false;
    }
  }

  waiting(group: string): boolean {
    return this.pending.has(group);
  }

  /** Tries every waiting write once, in order per group; returns how many groups still wait. */
  flush(): number {
    for (const [group, queue] of this.pending) {
      while (queue.length > 0) {
        try {
          queue[0]!();
          queue.shift();
        } catch (err) {
          if (!isBusy(err)) queue.shift(); // not a lock: retrying cannot help; drop it
          else break;
        }
      }
      if (queue.length === 0) this.pending.delete(group);
    }
    return this.pending.size;
  }

  /** Last try before the database closes; what is still locked out is lost with the process. */
  close(): number {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.flush();
  }

  private schedule(): void {
    if (this.timer) return;
    // unref: waiting writes never keep a stopping process alive.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.flush() > 0) this.schedule();
    }, RETRY_EVERY_MS).unref();
  }
}
