// The one place where Thingiverse failures become what the user sees (G3). Upstream
// bodies and headers never pass through; each kind gets a fixed, plain message.
import type { UpstreamError } from '../thingiverse/errors.js';

export interface MappedError {
  status: number;
  title: string;
  message: string;
  /** Seconds, for the Retry-After header. */
  retryAfter?: number;
  /** The token no longer works: end the session. */
  logout?: boolean;
}

export function mapUpstreamError(err: UpstreamError, now: number = Date.now()): MappedError {
  const mapped = mapKind(err, now);
  if (err.ambiguous) {
    mapped.message += ' We could not confirm whether your change reached Thingiverse; the page shows the real state once Thingiverse answers again.';
  }
  return mapped;
}

function mapKind(err: UpstreamError, now: number): MappedError {
  switch (err.kind) {
    case 'unauthorized':
      return {
        status: 401,
        title: 'Please log in again',
        message: 'Your Thingiverse login is no longer valid, please log in again.',
        logout: true,
      };
    case 'rate_limited': {
      const retryAfter = Math.max(1, Math.ceil(((err.retryAt ?? now + 60_000) - now) / 1000));
      return {
        status: 429,
        title: 'Thingiverse needs a breather',
        message: `Thingiverse allows only so many requests in five minutes. Please try again in ${describeWait(retryAfter)}.`,
        retryAfter,
      };
    }
    case 'not_found':
      return { status: 404, title: 'Not found on Thingiverse', message: 'That thing is gone from Thingiverse (or never existed).' };
    case 'forbidden':
      return { status: 403, title: 'Not allowed', message: 'Thingiverse does not allow that for this account.' };
    case 'bad_request':
      return {
        status: 400,
        title: 'Thingiverse said no',
        // The one 400 a user can cause on purpose is liking their own thing; say so only there.
        message: /^(POST|DELETE) \/things\/:id\/likes$/.test(err.operation)
          ? 'Thingiverse refused that request. You cannot like or unlike your own things.'
          : 'Thingiverse refused that request.',
      };
    case 'timeout':
      return { status: 504, title: 'Thingiverse is not answering', message: 'Thingiverse did not answer in time. Please try again in a moment.' };
    case 'bad_response':
      return {
        status: 502,
        title: 'Thingiverse sent something odd',
        message: 'Thingiverse sent an answer this app could not read. Please try again in a moment.',
      };
    case 'unavailable':
    default:
      return { status: 502, title: 'Thingiverse is not answering', message: 'Thingiverse is not answering right now. Please try again in a moment.' };
  }
}

export function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
