// express-session store on better-sqlite3. No well-kept package fits Node 20 here (see
// docs/toolchain.md: the GPL one never lets the process exit, the other pulls a second
// native module), so this is ~80 lines of our own with prepared statements.
import session from 'express-session';
import type { SessionData } from 'express-session';
import type { Db } from './db.js';
import { WriteBehind } from './write-behind.js';

type Cb = (err?: unknown, data?: SessionData | null) => void;

const ROWS_HELD = 10_000;
const ENDED_HELD = 50_000;

/**
 * Stored JSON back to a session, or null when it is not one. Valid JSON of the wrong shape
 * (42, [], {"cookie": 5}) would otherwise make express-session throw while inflating it.
 */
function readSession(data: string): SessionData | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const cookie = (value as { cookie?: unknown }).cookie;
  if (!cookie || typeof cookie !== 'object' || Array.isArray(cookie)) return null;
  return value as SessionData;
}

export class SqliteSessionStore extends session.Store {
  private readonly stmts;
  private readonly timer: NodeJS.Timeout;
  /** Writes the database refused as busy, retried later; meanwhile reads come from `unsaved`. */
  private readonly writes = new WriteBehind();
  /** sid → the data still waiting to be written, or null for a destroy still waiting. */
  private readonly unsaved = new Map<string, { data: string; expires: number } | null>();
  /**
   * sid → the row as SQLite has it, for sessions this process read or wrote: every request
   * loads its session, and the query was the store's largest cost on a warm page. This
   * process is the table's only writer, and every write below changes the copy with the row.
   * Bounded (ROWS_HELD, oldest first out); a session not held is read from SQLite.
   */
  private readonly rows = new Map<string, { data: string; expires: number }>();
  /**
   * Ids this process destroyed, until their tombstone expires: isEnded() is asked at the end
   * of every request. A session ended before a restart is not in the table any more, so no
   * request loads it; past ENDED_HELD ids (a flood of logouts) the table is asked instead.
   */
  private readonly endedHere = new Map<string, number>();
  private endedForgotten = false;

  constructor(
    private readonly db: Db,
    private readonly opts: { defaultTtlMs: number; pruneEveryMs?: number; now?: () => number },
  ) {
    super();
    db.exec(`CREATE TABLE IF NOT EXISTS sessions (
      sid TEXT PRIMARY KEY, data TEXT NOT NULL, expires INTEGER NOT NULL) STRICT`);
    db.exec('CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires)');
    // Ended session ids (logout, absolute timeout, a dead token, a new login): a request that
    // loaded the session before it ended must not write it back when it finishes (S4).
    db.exec(`CREATE TABLE IF NOT EXISTS ended_sessions (
      sid TEXT PRIMARY KEY, expires INTEGER NOT NULL) STRICT`);
    this.stmts = {
      get: db.prepare<[string, number], { data: string; expires: number }>('SELECT data, expires FROM sessions WHERE sid = ? AND expires > ?'),
      // Never recreates an ended id: the WHERE makes an upsert of a tombstoned sid a no-op.
      set: db.prepare(`INSERT INTO sessions (sid, data, expires)
        SELECT @sid, @data, @expires WHERE NOT EXISTS (SELECT 1 FROM ended_sessions WHERE sid = @sid)
        ON CONFLICT(sid) DO UPDATE SET data = excluded.data, expires = excluded.expires`),
      end: db.prepare('INSERT INTO ended_sessions (sid, expires) VALUES (?, ?) ON CONFLICT(sid) DO UPDATE SET expires = excluded.expires'),
      isEnded: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM ended_sessions WHERE sid = ?'),
      pruneEnded: db.prepare('DELETE FROM ended_sessions WHERE expires <= ?'),
      touch: db.prepare('UPDATE sessions SET expires = ? WHERE sid = ?'),
      destroy: db.prepare('DELETE FROM sessions WHERE sid = ?'),
      prune: db.prepare('DELETE FROM sessions WHERE expires <= ?'),
      count: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE expires > ?'),
      clear: db.prepare('DELETE FROM sessions'),
      // The newest live session of a user: a resumed bulk job continues with its token.
      tokenOf: db.prepare<[number, number], { token: string }>(`SELECT json_extract(data, '$.token') AS token FROM sessions
        WHERE expires > ? AND json_extract(data, '$.user.id') = ? AND json_type(data, '$.token') = 'text'
        ORDER BY expires DESC LIMIT 1`),
    };
    // unref: pruning must never keep the process (or jest) alive.
    this.timer = setInterval(() => this.prune(), opts.pruneEveryMs ?? 15 * 60_000).unref();
  }

  /** sid → the expiry last written by this process, to skip touches that change nothing much. */
  private readonly written = new Map<string, number>();

  private remember(sid: string, expires: number): void {
    if (this.written.size >= 50_000) this.written.clear(); // a bound; the next touch just writes
    this.written.set(sid, expires);
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  private expiry(sess: SessionData): number {
    const exp = sess.cookie?.expires ? new Date(sess.cookie.expires).getTime() : NaN;
    return Number.isFinite(exp) ? exp : this.now() + this.opts.defaultTtlMs;
  }

  override get(sid: string, cb: Cb): void {
    let row: { data: string } | undefined;
    try {
      const waiting = this.unsaved.get(sid);
      if (waiting !== undefined) row = waiting && waiting.expires > this.now() ? waiting : undefined;
      else row = this.read(sid);
    } catch (err) {
      return cb(err);
    }
    if (!row) return cb(null, null);
    const sess = readSession(row.data);
    // Corrupt data reads as "logged out", never as a crash (or a 500); drop the row.
    if (!sess) {
      this.rows.delete(sid);
      this.stmts.destroy.run(sid);
    }
    // Outside any try: an exception thrown further down the request must not call cb twice.
    cb(null, sess);
  }

  override set(sid: string, sess: SessionData, cb?: (err?: unknown) => void): void {
    try {
      if (this.unsaved.get(sid) === null) return cb?.(); // a destroy is waiting: stays ended
      const row = { sid, data: JSON.stringify(sess), expires: this.expiry(sess) };
      this.unsaved.set(sid, row);
      this.rows.delete(sid);
      this.writes.run(sid, () => {
        const { changes } = this.stmts.set.run(row);
        if (this.unsaved.get(sid) === row) this.unsaved.delete(sid);
        if (changes > 0) {
          this.remember(sid, row.expires);
          this.hold(sid, { data: row.data, expires: row.expires });
        }
      }, { supersede: true });
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override touch(sid: string, sess: SessionData, cb?: (err?: unknown) => void): void {
    try {
      // express-session touches on every request (rolling cookie): a database write per page
      // view. Skip it while the stored expiry is within 1/60 of the session's lifetime of the
      // new one (a minute for the default hour), so the idle timeout ends at most that early.
      const expires = this.expiry(sess);
      const last = this.written.get(sid);
      const slack = (sess.cookie?.originalMaxAge ?? this.opts.defaultTtlMs) / 60;
      if (last !== undefined && expires - last < slack) return cb?.();
      // Best effort: a touch refused as busy (or behind a waiting write) is just skipped.
      if (this.writes.waiting(sid)) return cb?.();
      this.writes.run(`touch:${sid}`, () => {
        this.stmts.touch.run(expires, sid);
        this.remember(sid, expires);
        const held = this.rows.get(sid);
        if (held) held.expires = expires;
      }, { supersede: true });
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.written.delete(sid);
    this.rows.delete(sid);
    try {
      // The tombstone outlives any request that could still hold the session: those are
      // bounded by the upstream timeout and the shutdown grace, far below the idle lifetime.
      this.unsaved.set(sid, null);
      const until = this.now() + this.opts.defaultTtlMs;
      if (this.endedHere.size >= ENDED_HELD) {
        this.endedHere.clear();
        this.endedForgotten = true;
      }
      this.endedHere.set(sid, until);
      this.writes.run(sid, () => {
        this.db.transaction(() => {
          this.stmts.end.run(sid, until);
          this.stmts.destroy.run(sid);
        })();
        if (this.unsaved.get(sid) === null) this.unsaved.delete(sid);
      }, { supersede: true });
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override length(cb: (err: unknown, length?: number) => void): void {
    try {
      cb(null, this.stmts.count.get(this.now())?.n ?? 0);
    } catch (err) {
      cb(err);
    }
  }

  override clear(cb?: (err?: unknown) => void): void {
    this.rows.clear();
    this.stmts.clear.run();
    cb?.();
  }

  /**
   * True once this process destroyed the id: its session must not be saved or sent again. (An
   * id ended before a restart has no row left, so no request loads it; its tombstone still
   * refuses a late set.)
   */
  isEnded(sid: string): boolean {
    if (this.unsaved.get(sid) === null || this.endedHere.has(sid)) return true;
    return this.endedForgotten && this.stmts.isEnded.get(sid) !== undefined;
  }

  /** The row as SQLite has it (from `rows` when held), if it has not expired. */
  private read(sid: string): { data: string; expires: number } | undefined {
    const now = this.now();
    const held = this.rows.get(sid);
    if (held) return held.expires > now ? held : undefined;
    const row = this.stmts.get.get(sid, now);
    if (row) this.hold(sid, row);
    return row;
  }

  private hold(sid: string, row: { data: string; expires: number }): void {
    this.rows.delete(sid);
    if (this.rows.size >= ROWS_HELD) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(sid, row);
  }

  prune(): number {
    const now = this.now();
    for (const [sid, expires] of this.written) if (expires <= now) this.written.delete(sid);
    for (const [sid, row] of this.rows) if (row.expires <= now) this.rows.delete(sid);
    for (const [sid, until] of this.endedHere) if (until <= now) this.endedHere.delete(sid);
    this.stmts.pruneEnded.run(now);
    return this.stmts.prune.run(now).changes;
  }

  /** The access token of the user's newest live session, or undefined when they have none. */
  tokenOfUser(userId: number): string | undefined {
    return this.stmts.tokenOf.get(this.now(), userId)?.token;
  }

  /** Writes still waiting for the database (0 when everything is saved). */
  waitingWrites(): number {
    return this.unsaved.size;
  }

  close(): void {
    clearInterval(this.timer);
    this.writes.close();
  }
}
