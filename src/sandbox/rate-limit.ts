// Per-token request budget (default 300 per 5 minutes), answered like the real API: 429 + plain text.
import type { NextFunction, Request, Response } from 'express';
import { RATE_LIMIT_TEXT } from './defaults.js';
import { apiToken, param } from './http.js';

/** The real 429 reply: text/plain and the exact 113-byte body; Retry-After is the sandbox's addition. */
export function sendRateLimited(res: Response, retryAfterSec: number | undefined): void {
  if (retryAfterSec !== undefined) res.set('Retry-After', String(retryAfterSec));
  res.status(429).type('text/plain').send(RATE_LIMIT_TEXT);
}

/**
 * Choice: the budget is per token (the real key, token/app/IP, is unknown). Calls without a token count
 * against their client_id (code exchange), and failing that against the caller's IP address.
 */
export function rateLimitKey(req: Request): string {
  const token = apiToken(req) ?? param(req, 'access_token');
  if (token) return `token:${token}`;
  const client = param(req, 'client_id');
  return client ? `client:${client}` : `ip:${req.socket.remoteAddress ?? '?'}`;
}

/** Choice: a fixed window that starts at a key's first request, simple to reason about in tests. */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    public limit: number,
    public windowMs: number,
    private readonly now: () => number,
  ) {}

  /** A new budget (tests and the bench scale the real one down); counting starts afresh. */
  configure(limit: number, windowMs: number): void {
    this.limit = limit;
    this.windowMs = windowMs;
    this.windows.clear();
  }

  /** Counts one request; returns 0 when allowed, else the seconds until the key's window frees. */
  hit(key: string): number {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.windowMs) {
      if (this.windows.size > 10_000) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0;
  }

  reset(): void {
    this.windows.clear();
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now >= w.start + this.windowMs) this.windows.delete(key);
  }
}

export function createRateLimitMiddleware(limiter: RateLimiter, retryAfterHeader: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // The consent page is a browser page, not an API call, so it never spends the app's budget.
    if (req.method === 'GET' && req.path === '/login/oauth/authorize') return next();
    const wait = limiter.hit(rateLimitKey(req));
    if (wait === 0) return next();
    sendRateLimited(res, retryAfterHeader ? wait : undefined);
  };
}

export const MAX_WINDOW_MS = 24 * 3_600_000;

/** What is wrong with a budget given as an option or to the control API, or undefined. */
export function rateLimitProblem(v: unknown): string | undefined {
  const r = (v && typeof v === 'object' ? v : {}) as { limit?: unknown; windowMs?: unknown };
  if (!Number.isInteger(r.limit) || (r.limit as number) < 1) return 'rateLimit.limit must be a positive integer';
  if (!Number.isInteger(r.windowMs) || (r.windowMs as number) < 1 || (r.windowMs as number) > MAX_WINDOW_MS) {
    return `rateLimit.windowMs must be an integer from 1 to ${MAX_WINDOW_MS}`;
  }
  return undefined;
}
