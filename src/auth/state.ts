// One-time OAuth `state` bound to the browser's session (O2): 256 random bits, a 10-minute
// life, compared in constant time and deleted on first use whatever the outcome.
import crypto from 'node:crypto';
import type { Request } from 'express';

export const STATE_TTL_MS = 10 * 60_000;

/** `next`: where to go once logged in (an already-checked local path), kept with the state. */
export function newState(req: Request, now: number = Date.now(), next?: string): string {
  const state = crypto.randomBytes(32).toString('base64url');
  req.session.oauth = { state, createdAt: now, ...(next && next !== '/' ? { next } : {}) };
  return state;
}

export type StateCheck = 'ok' | 'missing' | 'no_pending_login' | 'mismatch' | 'expired';

export function consumeState(req: Request, received: unknown, now: number = Date.now()): StateCheck {
  const check = compareState(req, received, now);
  if (req.session) delete req.session.oauth;
  return check;
}

/**
 * For a login error (?error=…): spend the pending state only when the error answers it. Anyone
 * can link a browser to /callback?error=x; that must not cancel a login in progress.
 */
export function consumeStateIfMatching(req: Request, received: unknown, now: number = Date.now()): StateCheck {
  const check = compareState(req, received, now);
  if (check === 'ok' && req.session) delete req.session.oauth;
  return check;
}

function compareState(req: Request, received: unknown, now: number): StateCheck {
  const pending = req.session?.oauth;
  // Fail closed: a response without state is refused even if Thingiverse might drop it (O3).
  if (typeof received !== 'string' || received.length === 0) return 'missing';
  if (!pending) return 'no_pending_login';
  const a = Buffer.from(received);
  const b = Buffer.from(pending.state);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return 'mismatch';
  if (now - pending.createdAt > STATE_TTL_MS) return 'expired';
  return 'ok';
}

export function stateProblem(check: Exclude<StateCheck, 'ok'>): string {
  switch (check) {
    case 'expired':
      return 'This login took too long and has expired. Please start again.';
    case 'no_pending_login':
      return 'This login was not started here, or it was already used. Please start again.';
    default:
      return 'This login could not be verified (the security check did not match). Please start again.';
  }
}
