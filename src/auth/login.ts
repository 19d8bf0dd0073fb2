// Turning a token into a logged-in session, the same for all three ways in (implicit,
// code, pasted): check its shape, ask Thingiverse whose it is (tokeninfo audience must be
// our client id: O9), read the user, then a brand-new session id (S2) saved before we answer (S9).
import type { Request } from 'express';
import type { ThingiverseClient } from '../thingiverse/types.js';
import { isUpstreamError } from '../thingiverse/errors.js';
import { HttpError, describeUpstream } from '../errors.js';
import type { SessionUser } from '../middleware/session.js';

// Real tokens are 32 or 40 hex characters; allow some room, but nothing that could smuggle
// separators or whitespace into a header.
const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{16,256}$/;

export function checkTokenShape(token: unknown): string {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) {
    throw new HttpError(400, 'That does not look like a Thingiverse access token (16 to 256 letters and digits).', 'Login failed');
  }
  return token;
}

export async function verifyToken(client: ThingiverseClient, clientId: string, token: string): Promise<SessionUser> {
  try {
    const info = await client.tokenInfo(token);
    if (info.audience !== clientId) {
      throw new HttpError(400, 'That token belongs to a different Thingiverse app, so it was not accepted.', 'Login failed');
    }
    const me = await client.me(token);
    if (info.userId && info.userId !== '0' && info.userId !== String(me.id)) {
      throw new HttpError(400, 'Thingiverse gave inconsistent answers about this token, so it was not accepted.', 'Login failed');
    }
    return { id: me.id, name: me.name, displayName: me.displayName };
  } catch (err) {
    throw asLoginError(err);
  }
}

/** A refused token or code is a login problem (400, "Login failed"), not a like problem; any
 * other upstream failure keeps its own words (a 429 still says when to retry). */
function asLoginError(err: unknown): unknown {
  if (!isUpstreamError(err)) return err;
  const words = describeUpstream(err, 'login');
  return words.code === 'login_refused' ? new HttpError(words.status, words.message, words.title, { cause: err, code: words.code }) : err;
}

/** Code flow: a refused code (reused, expired, wrong redirect) or client is a login problem, not a like problem. */
export async function exchangeCode(client: ThingiverseClient, code: string, redirectUri: string): Promise<string> {
  try {
    return await client.exchangeCode(code, redirectUri);
  } catch (err) {
    throw asLoginError(err);
  }
}

export async function startUserSession(req: Request, token: string, user: SessionUser, now: number): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.token = token;
  req.session.user = user;
  req.session.authAt = now;
  req.session.flash = { kind: 'ok', text: `Logged in as ${user.displayName}.` };
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}
