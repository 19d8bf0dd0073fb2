// createSandbox(): a faithful local fake of Thingiverse's website OAuth endpoints and REST API.
import { buildApp } from './app.js';
import { SANDBOX_CLIENT } from './defaults.js';
import { FaultSet } from './faults.js';
import { RateLimiter, rateLimitProblem } from './rate-limit.js';
import { LIST_SHAPES } from './list-shapes.js';
import { SandboxState } from './state.js';
import { MAX_LOAD_USERS, makeLoadUsers } from './load-users.js';
import { MAX_HEAVY_LIKES, makeHeavyUser } from './heavy-user.js';
import { getSeed } from './seed.js';
import type { RegisteredClient, Sandbox, SandboxOptions } from './types.js';

export { listen, type Listening } from './listen.js';
export type { FaultRule, FaultKind, RegisteredClient, Sandbox, SandboxOptions, RecordedRequest } from './types.js';

function checkOptions(o: SandboxOptions): void {
  const bad = (msg: string) => {
    throw new TypeError(`createSandbox: ${msg}`);
  };
  if (o.clients && o.clients.length === 0) bad('clients must not be empty');
  const budget = o.rateLimit && rateLimitProblem(o.rateLimit);
  if (budget) bad(budget);
  if (o.listShape !== undefined && !LIST_SHAPES.includes(o.listShape)) bad(`listShape must be one of ${LIST_SHAPES.join(', ')}`);
  if (o.latencyMs !== undefined && !(o.latencyMs >= 0)) bad('latencyMs must be >= 0');
  if (o.codeTtlMs !== undefined && !(o.codeTtlMs > 0)) bad('codeTtlMs must be positive');
  if (o.loadUsers !== undefined && !(Number.isInteger(o.loadUsers) && o.loadUsers >= 0 && o.loadUsers <= MAX_LOAD_USERS)) {
    bad(`loadUsers must be an integer from 0 to ${MAX_LOAD_USERS}`);
  }
  if (o.heavyLikes !== undefined && !(Number.isInteger(o.heavyLikes) && o.heavyLikes >= 0 && o.heavyLikes <= MAX_HEAVY_LIKES)) {
    bad(`heavyLikes must be an integer from 0 to ${MAX_HEAVY_LIKES}`);
  }
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const clients: readonly RegisteredClient[] = options.clients ?? [SANDBOX_CLIENT];
  const { limit, windowMs } = options.rateLimit ?? { limit: 300, windowMs: 5 * 60_000 };
  const heavy = options.heavyLikes === undefined ? undefined : makeHeavyUser(options.heavyLikes, getSeed());
  const state = new SandboxState(clients, options.latencyMs ?? 0, makeLoadUsers(options.loadUsers ?? 0), heavy, options.listShape, options.requestLogSize);
  const limiter = new RateLimiter(limit, windowMs, now);
  const faults = new FaultSet();

  const userOrThrow = (username: string) => {
    const user = state.userByName(username);
    if (!user) throw new Error(`No sandbox user named ${JSON.stringify(username)}`);
    return user;
  };

  const handle: Omit<Sandbox, 'app'> = {
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    reset() {
      state.reset();
      faults.clear();
      limiter.configure(limit, windowMs);
    },
    rateLimit: () => ({ limit: limiter.limit, windowMs: limiter.windowMs }),
    setRateLimit(b) {
      const problem = rateLimitProblem(b);
      if (problem) throw new TypeError(`setRateLimit: ${problem}`);
      limiter.configure(b.limit, b.windowMs);
    },
    setListShape(shape) {
      if (!LIST_SHAPES.includes(shape)) throw new TypeError(`setListShape: shape must be one of ${LIST_SHAPES.join(', ')}`);
      state.listShape = shape;
    },
    issueToken(username, clientId = clients[0]!.clientId) {
      const user = userOrThrow(username);
      if (!state.clients.has(clientId)) throw new Error(`No sandbox client with id ${JSON.stringify(clientId)}`);
      return state.issueToken(clientId, user.id);
    },
    revokeToken: (token) => void state.tokens.delete(token),
    likedIds: (username) => state.likedIds(userOrThrow(username).id).slice(),
    requests: () => state.log.slice(),
    users: () =>
      state.seed.users
        .filter((u) => u.demo)
        .map((u) => ({ id: u.id, name: u.name, likeCount: state.likedIds(u.id).length, thingCount: state.designCount(u.id) })),
  };

  const app = buildApp({
    state, faults, limiter, now, sandbox: handle,
    codeTtlMs: options.codeTtlMs ?? 60_000,
    retryAfterHeader: options.retryAfterHeader ?? true, // Choice: Retry-After is on unless turned off
  });
  return { app, ...handle };
}
