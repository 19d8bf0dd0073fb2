// The sandbox's mutable world: likes, tokens, authorization codes, latency and the request log.
// Everything here is restored from the seed by reset().
import { randomBytes } from 'node:crypto';
import { getSeed, type SeedThing, type SeedUser } from './seed.js';
import type { HeavyUser } from './heavy-user.js';
import type { ListShape } from './list-shapes.js';
import type { RecordedRequest, RegisteredClient } from './types.js';

export interface TokenInfo {
  clientId: string;
  /** null for an App Token: read-only, no user. */
  userId: number | null;
}

export interface CodeInfo {
  clientId: string;
  userId: number;
  redirectUri: string;
  expiresAt: number;
}

export const REQUEST_LOG_SIZE = 5000;

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export class SandboxState {
  readonly seed = getSeed();
  readonly clients: Map<string, RegisteredClient>;
  readonly things = new Map<number, SeedThing>(this.seed.things.map((t) => [t.id, t]));
  readonly usersById = new Map<number, SeedUser>(this.seed.users.map((u) => [u.id, u]));
  readonly usersByName = new Map<string, SeedUser>(this.seed.users.map((u) => [u.name.toLowerCase(), u]));
  private readonly designs = new Map<number, number>();
  /** User id → liked thing ids, newest like first. */
  likes = new Map<number, number[]>();
  /** Thing id → ids of sandbox users who like it (kept in step with `likes`). */
  likers = new Map<number, Set<number>>();
  tokens = new Map<string, TokenInfo>();
  codes = new Map<string, CodeInfo>();
  latencyMs = 0;
  /** Which list-item shape the lists serve (the 2019-2020 one for 'legacy'). */
  listShape: ListShape = 'current';
  log: RecordedRequest[] = [];
  private popular: SeedThing[] | undefined;
  /** Seed things newest first (ids grow with created_at); likes never change it. */
  readonly newest: readonly SeedThing[] = this.seed.things.slice().sort((a, b) => b.id - a.id);
  /** Choice: /featured lists the featured things newest first (the real order is unknown). */
  readonly featured: readonly SeedThing[] = this.newest.filter((t) => t.isFeatured);

  constructor(
    clients: readonly RegisteredClient[],
    private readonly defaultLatencyMs: number,
    extraUsers: readonly SeedUser[] = [],
    private readonly heavy?: HeavyUser,
    private readonly defaultListShape: ListShape = 'current',
    private readonly logSize = REQUEST_LOG_SIZE,
  ) {
    this.clients = new Map(clients.map((c) => [c.clientId, c]));
    for (const u of heavy ? [...extraUsers, heavy.user] : extraUsers) {
      this.usersById.set(u.id, u);
      this.usersByName.set(u.name.toLowerCase(), u);
    }
    // Archived things exist by id only: never in seed.things, so never in /popular or search.
    for (const t of heavy?.things ?? []) this.things.set(t.id, t);
    for (const t of this.seed.things) this.designs.set(t.creatorId, (this.designs.get(t.creatorId) ?? 0) + 1);
    this.reset();
  }

  reset(): void {
    this.likes = new Map([...this.seed.likes].map(([user, ids]) => [user, ids.slice()]));
    if (this.heavy) this.likes.set(this.heavy.user.id, this.heavy.likedIds.slice());
    this.likers = new Map();
    for (const [user, ids] of this.likes) for (const id of ids) this.likersOf(id).add(user);
    // App Tokens are permanent credentials of the registered apps, so they survive a reset.
    this.tokens = new Map([...this.clients.values()].map((c) => [c.appToken, { clientId: c.clientId, userId: null }]));
    this.codes = new Map();
    this.latencyMs = this.defaultLatencyMs;
    this.listShape = this.defaultListShape;
    this.log = [];
    this.popular = undefined;
  }

  record(entry: RecordedRequest): void {
    this.log.push(entry);
    if (this.log.length > this.logSize) this.log.shift();
  }

  issueToken(clientId: string, userId: number | null): string {
    const token = randomHex(16); // 32 hex characters, like real tokens
    this.tokens.set(token, { clientId, userId });
    return token;
  }

  userByName(name: string): SeedUser | undefined {
    return this.usersByName.get(name.toLowerCase());
  }

  designCount(userId: number): number {
    return this.designs.get(userId) ?? 0;
  }

  likedIds(userId: number): number[] {
    return this.likes.get(userId) ?? [];
  }

  likeCount(thing: SeedThing): number {
    return thing.baseLikes + (this.likers.get(thing.id)?.size ?? 0);
  }

  isLiked(userId: number | null, thingId: number): boolean {
    return userId !== null && (this.likers.get(thingId)?.has(userId) ?? false);
  }

  /** Returns false when the thing is the user's own (the API answers 400). Idempotent otherwise. */
  setLike(userId: number, thing: SeedThing, liked: boolean): boolean {
    if (thing.creatorId === userId) return false;
    if (this.isLiked(userId, thing.id) === liked) return true; // Choice: repeating a like/unlike is a no-op
    const list = this.likedIds(userId).filter((id) => id !== thing.id);
    if (liked) list.unshift(thing.id);
    this.likes.set(userId, list);
    if (liked) this.likersOf(thing.id).add(userId);
    else this.likersOf(thing.id).delete(userId);
    this.popular = undefined;
    return true;
  }

  /** All things by like_count desc, then id asc (Choice: the real tie-break is unknown); cached until a like changes. */
  byPopularity(): SeedThing[] {
    this.popular ??= this.seed.things
      .slice()
      .sort((a, b) => this.likeCount(b) - this.likeCount(a) || a.id - b.id);
    return this.popular;
  }

  private likersOf(thingId: number): Set<number> {
    let set = this.likers.get(thingId);
    if (!set) this.likers.set(thingId, (set = new Set()));
    return set;
  }
}
