// The sandbox's public contract: options, fault rules and the handle tests get back.
import type { Express } from 'express';

export interface RegisteredClient {
  name: string;
  clientId: string;
  clientSecret: string;
  /** Read-only token for public endpoints (no user). */
  appToken: string;
  /** Exact-match list; authorize refuses any other redirect_uri. */
  redirectUris: readonly string[];
}

export type FaultKind =
  | 'latency' // wait `ms`, then answer normally
  | 'status' // answer `status` with a Thingiverse-style JSON error body
  | 'hang' // never answer (until `ms`, default 10 minutes, or the socket closes)
  | 'reset' // destroy the connection without an answer
  | 'html403' // Cloudflare-style "Just a moment..." HTML page, status 403
  | 'malformed' // 200 with Content-Type JSON and a body that is not JSON
  | 'ratelimit'; // 429 text/plain with the real 113-byte body

export interface FaultRule {
  kind: FaultKind;
  /**
   * Which requests it hits: 'METHOD /path' with :params, e.g. 'POST /things/:id/likes',
   * '* /things/:id/likes', 'GET /popular', 'POST /login/oauth/tokeninfo'; '*' or absent = every
   * API and OAuth request (never /__sandbox or images).
   */
  route?: string;
  ms?: number;
  status?: number;
  /** How many matching requests it applies to before it expires; default: unlimited. */
  times?: number;
  /**
   * Apply the request's real effect first, then fault the response (status, reset or hang).
   * Models ambiguous writes: the like happened, but the client never learned it.
   */
  after?: boolean;
}

export interface SandboxOptions {
  clients?: RegisteredClient[];
  /** Per-token budget; default 300 requests per 5 minutes. */
  rateLimit?: { limit: number; windowMs: number };
  /** Send Retry-After with 429 (a choice: the real API's headers are unknown). Default true. */
  retryAfterHeader?: boolean;
  /** Latency added to every API/OAuth response, in ms. Default 0. */
  latencyMs?: number;
  /** Authorization-code lifetime; default 60 s. */
  codeTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Extra plain users load_user_1..N (no likes, no things), for load tests. Default 0. */
  loadUsers?: number;
  /** Adds user heavy_liker with this many likes (past the 1,600 seed things: archived things). */
  heavyLikes?: number;
  /** List-item shape: 'current' (default) or 'legacy' (2019-2020: boolean flags, no like_count, created_at or tags). */
  listShape?: 'current' | 'legacy';
  /** How many requests the request log keeps (newest); default 5,000. */
  requestLogSize?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path with query string, as received. */
  url: string;
  /** Whether an Authorization: Bearer header was present (never the token itself). */
  bearer: boolean;
  at: number;
}

export interface Sandbox {
  app: Express;
  /** Add a fault; returns its id. */
  addFault(rule: FaultRule): number;
  clearFaults(): void;
  /** Restore seed state: likes, tokens, codes, faults, rate-limit counters and budget, list shape, latency, request log. */
  reset(): void;
  /** Mint a user token without the browser dance (tests, load and bench scripts). */
  issueToken(username: string, clientId?: string): string;
  /** Revoke a token: later API calls with it get 401. */
  revokeToken(token: string): void;
  /** Liked thing ids of a user, newest like first (the sandbox's truth). */
  likedIds(username: string): number[];
  /** Requests received on API/OAuth routes since the last reset (bounded ring buffer, newest last). */
  requests(): RecordedRequest[];
  /** The rate-limit budget in force. */
  rateLimit(): { limit: number; windowMs: number };
  /** Change the budget (counters start afresh); reset() restores the option's. */
  setRateLimit(budget: { limit: number; windowMs: number }): void;
  /** Serve the 'current' or the 'legacy' list shape; reset() restores the option's. */
  setListShape(shape: 'current' | 'legacy'): void;
  /** Demo users, for the consent page and tests. */
  users(): { id: number; name: string; likeCount: number; thingCount: number }[];
}
