// Applies fault rules to API/OAuth requests: delays, error answers, broken connections.
import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { FaultSet } from './faults.js';
import { sendError } from './http.js';
import { sendRateLimited } from './rate-limit.js';
import type { FaultRule } from './types.js';

const HANG_DEFAULT_MS = 10 * 60_000;

// What Cloudflare sends when it suspects a bot: an HTML challenge instead of JSON (no script here).
const CHALLENGE_PAGE = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
</head><body><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">www.thingiverse.com</h1>
<h2 class="h2" id="challenge-running">Checking if the site connection is secure</h2>
<noscript><div class="h2">Enable JavaScript and cookies to continue</div></noscript>
</div></div></body></html>`;

/** Timers are unref'd so a pending delay or hang never keeps the process alive. */
export const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface FaultDeps {
  faults: FaultSet;
  retryAfterHeader: boolean;
  /** The rate-limit window in force (it can change at run time). */
  limiter: { readonly windowMs: number };
}

function respond(rule: FaultRule, req: Request, res: Response, deps: FaultDeps): void {
  switch (rule.kind) {
    case 'status': {
      const status = rule.status ?? 500;
      return sendError(res, status, STATUS_CODES[status] ?? 'Error');
    }
    case 'hang': {
      // Choice: when the hang ends the connection is dropped without an answer, as a dead upstream would.
      const timer = setTimeout(() => req.socket.destroy(), rule.ms ?? HANG_DEFAULT_MS).unref();
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
    case 'html403':
      res.status(403).set({ Server: 'cloudflare', 'cf-mitigated': 'challenge' }).type('html').send(CHALLENGE_PAGE);
      return;
    case 'malformed':
      res.status(200).type('application/json').send('{"id": 1, "name": ');
      return;
    case 'ratelimit': {
      // Choice: `ms` sets the Retry-After of an injected 429; by default it is the whole window.
      const seconds = Math.max(1, Math.ceil((rule.ms ?? deps.limiter.windowMs) / 1000));
      return sendRateLimited(res, deps.retryAfterHeader ? seconds : undefined);
    }
    case 'latency':
      return;
  }
}

/** Holds back the handler's answer; `run` decides to send it (flush) or to replace it. */
function interceptEnd(res: Response, run: (flush: () => void) => Promise<void>): void {
  const target = res as unknown as { end: (...args: unknown[]) => unknown };
  const end = target.end;
  target.end = (...args: unknown[]) => {
    target.end = end;
    void run(() => void end.apply(res, args));
    return res;
  };
}

export function createFaultMiddleware(deps: FaultDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const { delays, terminal } = deps.faults.take(req.method, req.path);
    for (const d of delays) if (!d.after) await sleep(d.ms ?? 0);
    const late = delays.filter((d) => d.after);
    if (terminal && !terminal.after) return respond(terminal, req, res, deps);
    if (terminal || late.length > 0) {
      // `after`: the real handler runs (a like is stored), then its answer is delayed or replaced.
      interceptEnd(res, async (flush) => {
        for (const d of late) await sleep(d.ms ?? 0);
        if (!terminal) return flush();
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        respond(terminal, req, res, deps);
      });
    }
    next();
  };
}
