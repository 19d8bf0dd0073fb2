// Import previews waiting for the user's confirmation, in SQLite so a preview still confirms
// after a restart: the confirm form carries only a random id, not 20,000 ids, and the plan it
// confirms is the one the preview showed. One per user (a new preview replaces the old one),
// valid for ttlMs. Only what confirming needs is kept: the ids to like and to unlike.
// A busy database delays the write (write-behind.ts); meanwhile this process answers from memory.
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { WriteBehind } from './write-behind.js';

export interface PendingPlan { toLike: number[]; toUnlike: number[] }

export interface PendingImport {
  id: string;
  userId: number;
  plan: PendingPlan;
  /** Unlike what is not in the file (the preview asked for a second confirmation). */
  match: boolean;
  expires: number;
}

const ID = /^[0-9a-f]{32}$/;
export const PENDING_IMPORT_TTL_MS = 30 * 60_000;

export class PendingImports {
  private readonly stmts;
  private readonly writes = new WriteBehind();
  /** user → a preview (or null: a removal) still waiting for the database. */
  private readonly unsaved = new Map<number, PendingImport | null>();

  constructor(db: Db, private readonly now: () => number = Date.now, private readonly ttlMs = PENDING_IMPORT_TTL_MS) {
    db.exec(`CREATE TABLE IF NOT EXISTS pending_imports (user_id INTEGER PRIMARY KEY, id TEXT NOT NULL,
      plan TEXT NOT NULL, match INTEGER NOT NULL, expires INTEGER NOT NULL) STRICT`);
    this.stmts = {
      put: db.prepare(`INSERT INTO pending_imports (user_id, id, plan, match, expires) VALUES (@userId, @id, @plan, @match, @expires)
        ON CONFLICT(user_id) DO UPDATE SET id = excluded.id, plan = excluded.plan, match = excluded.match, expires = excluded.expires`),
      get: db.prepare<[number, number], Row>('SELECT id, plan, match, expires FROM pending_imports WHERE user_id = ? AND expires > ?'),
      remove: db.prepare('DELETE FROM pending_imports WHERE user_id = ?'),
      prune: db.prepare('DELETE FROM pending_imports WHERE expires <= ?'),
    };
  }

  put(userId: number, plan: PendingPlan, match: boolean): PendingImport {
    const pending: PendingImport = {
      id: randomBytes(16).toString('hex'), userId, plan: { toLike: plan.toLike, toUnlike: plan.toUnlike }, match, expires: this.now() + this.ttlMs,
    };
    this.write(userId, pending, () => {
      this.stmts.prune.run(this.now());
      this.stmts.put.run({ userId, id: pending.id, plan: JSON.stringify(pending.plan), match: match ? 1 : 0, expires: pending.expires });
    });
    return pending;
  }

  /** The user's pending import with this id: undefined when unknown, expired or someone else's. */
  get(userId: number, id: unknown): PendingImport | undefined {
    if (typeof id !== 'string' || !ID.test(id)) return undefined;
    const waiting = this.unsaved.get(userId);
    const found = waiting !== undefined ? waiting ?? undefined : this.read(userId);
    return found && found.id === id && found.expires > this.now() ? found : undefined;
  }

  /** Confirmed: a preview starts its jobs at most once. */
  delete(userId: number): void {
    this.write(userId, null, () => this.stmts.remove.run(userId));
  }

  close(): void {
    this.writes.close();
  }

  private read(userId: number): PendingImport | undefined {
    const row = this.stmts.get.get(userId, this.now());
    return row && { id: row.id, userId, plan: JSON.parse(row.plan) as PendingPlan, match: row.match === 1, expires: row.expires };
  }

  /** The latest write per user is all that matters (supersede), as for sessions. */
  private write(userId: number, value: PendingImport | null, sql: () => void): void {
    this.unsaved.set(userId, value);
    this.writes.run(`import:${userId}`, () => {
      sql();
      if (this.unsaved.get(userId) === value) this.unsaved.delete(userId);
    }, { supersede: true });
  }
}

interface Row { id: string; plan: string; match: number; expires: number }
