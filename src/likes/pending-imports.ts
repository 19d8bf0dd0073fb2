// Import previews waiting for the user's confirmation, in memory: the confirm form carries
// only a random id, not 20,000 ids, and the plan it confirms is the one the preview showed.
// One per user (a new preview replaces the old one); a restart loses them (preview again).
import { randomBytes } from 'node:crypto';
import type { ImportPlan } from './import-format.js';

export interface PendingImport {
  id: string;
  userId: number;
  plan: ImportPlan;
  /** Unlike what is not in the file (the preview asked for a second confirmation). */
  match: boolean;
  createdAt: number;
}

const ID = /^[0-9a-f]{32}$/;

export class PendingImports {
  private readonly byUser = new Map<number, PendingImport>();

  constructor(private readonly now: () => number = Date.now, private readonly ttlMs = 30 * 60_000) {}

  put(userId: number, plan: ImportPlan, match: boolean): PendingImport {
    this.prune();
    const pending = { id: randomBytes(16).toString('hex'), userId, plan, match, createdAt: this.now() };
    this.byUser.set(userId, pending);
    return pending;
  }

  /** The user's pending import with this id: undefined when unknown, expired or someone else's. */
  get(userId: number, id: unknown): PendingImport | undefined {
    const pending = this.byUser.get(userId);
    if (typeof id !== 'string' || !ID.test(id) || !pending || pending.id !== id || this.expired(pending)) return undefined;
    return pending;
  }

  /** Confirmed (or replaced): a preview starts its jobs at most once. */
  delete(userId: number): void {
    this.byUser.delete(userId);
  }

  private expired(p: PendingImport): boolean {
    return this.now() - p.createdAt > this.ttlMs;
  }

  private prune(): void {
    for (const [userId, p] of this.byUser) if (this.expired(p)) this.byUser.delete(userId);
  }
}
