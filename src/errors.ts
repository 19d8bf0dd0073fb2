// The app's one error vocabulary: the HttpError family (a status and words for the person
// reading), the typed codes JSON answers carry, and describeUpstream, the only place where an
// upstream failure becomes words, for a page, a bulk job, a login or the command line (G3).
// Upstream bodies and headers never pass through: the words come from kind, op and detail.
import type { UpstreamError } from './thingiverse/errors.js';
import type { UpstreamErrorKind } from './thingiverse/types.js';
import { isLikeWrite } from './thingiverse/operations.js';

/** Every `error` value a JSON answer may carry. */
export type ErrorCode =
  | UpstreamErrorKind
  | 'request_failed'
  | 'not_logged_in'
  | 'job_running'
  | 'login_refused';

/** An error with a status and a message written for the person reading the page. `cause`
 * (e.g. the UpstreamError behind a refused login) reaches the log line, never the page. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly title = 'Something is not right',
    options?: { cause?: unknown; code?: ErrorCode },
  ) {
    super(message, options);
    this.errorCode = options?.code ?? 'request_failed';
  }
  /** The `error` of a JSON answer (not `code`: that name is Node's, e.g. ECONNRESET, in logs). */
  readonly errorCode: ErrorCode;
}

export const badRequest = (message: string) => new HttpError(400, message, 'That request was not understood');

export type DescribeContext = 'page' | 'job' | 'login' | 'cli';

export interface UpstreamWords {
  status: number;
  title: string;
  message: string;
  /** Seconds, for the Retry-After header and "try again in". */
  retryAfter?: number;
  /** The token no longer works: end the session (or forget the saved login). */
  logout: boolean;
  code: ErrorCode;
}

const UNCONFIRMED = {
  page: ' We could not confirm whether your change reached Thingiverse; the page shows the real state once Thingiverse answers again.',
  cli: ' It could not be confirmed whether the change reached Thingiverse; check again later.',
};

export function describeUpstream(err: UpstreamError, context: DescribeContext, now: number = Date.now()): UpstreamWords {
  if (context === 'job') return jobWords(err);
  if (context === 'login') {
    const refused = loginRefusal(err);
    if (refused) return { status: 400, title: 'Login failed', message: refused, logout: false, code: 'login_refused' };
  }
  const words = pageWords(err, now, context === 'cli');
  if (err.ambiguous) words.message += context === 'cli' ? UNCONFIRMED.cli : UNCONFIRMED.page;
  return words;
}

/** The login steps (tokeninfo, users/me, the code exchange) refused what the user brought. */
function loginRefusal(err: UpstreamError): string | null {
  if (err.kind !== 'unauthorized' && err.kind !== 'bad_request') return null;
  return err.op === 'exchangeCode'
    ? 'Thingiverse did not accept the login code (it may have expired or been used already). Please start again.'
    : 'Thingiverse did not accept that token. It may be wrong, revoked, or from another app.';
}

function pageWords(err: UpstreamError, now: number, cli: boolean): UpstreamWords {
  const base = { logout: false, code: err.kind };
  switch (err.kind) {
    case 'unauthorized':
      return { ...base, status: 401, title: 'Please log in again', logout: true,
        message: cli ? 'Your saved Thingiverse login is no longer valid; log in again.' : 'Your Thingiverse login is no longer valid, please log in again.' };
    case 'rate_limited': {
      const retryAfter = Math.max(1, Math.ceil(((err.retryAt ?? now + 60_000) - now) / 1000));
      return { ...base, status: 429, title: 'Thingiverse needs a breather', retryAfter,
        message: `Thingiverse allows only so many requests in five minutes. Please try again in ${describeWait(retryAfter)}.` };
    }
    case 'not_found':
      return { ...base, status: 404, title: 'Not found on Thingiverse', message: 'That thing is gone from Thingiverse (or never existed).' };
    case 'forbidden':
      return { ...base, status: 403, title: 'Not allowed', message: 'Thingiverse does not allow that for this account.' };
    case 'bad_request':
      // The one 400 a user can cause on purpose is liking their own thing; say so only there.
      return { ...base, status: 400, title: 'Thingiverse said no',
        message: isLikeWrite(err.op) ? 'Thingiverse refused that request. You cannot like or unlike your own things.' : 'Thingiverse refused that request.' };
    case 'timeout':
      return { ...base, status: 504, title: 'Thingiverse is not answering', message: 'Thingiverse did not answer in time. Please try again in a moment.' };
    case 'bad_response':
      return { ...base, status: 502, title: 'Thingiverse sent something odd',
        message: err.detail === 'too_large'
          ? 'Thingiverse sent a much larger answer than expected, and this app could not read it. Please try again in a moment.'
          : 'Thingiverse sent an answer this app could not read. Please try again in a moment.' };
    case 'unavailable':
    default:
      return { ...base, status: 502, title: 'Thingiverse is not answering', message: 'Thingiverse is not answering right now. Please try again in a moment.' };
  }
}

/** One line for a bulk job's summary, per thing. */
function jobWords(err: UpstreamError): UpstreamWords {
  const words = (message: string): UpstreamWords => ({ status: 200, title: 'Not done', message, logout: err.kind === 'unauthorized', code: err.kind });
  if (err.ambiguous) return words('Thingiverse did not confirm it in time; the page shows the real state once it answers.');
  switch (err.kind) {
    case 'not_found': return words('Not found on Thingiverse.');
    case 'bad_request': return words('Thingiverse refused it (you cannot like or unlike your own things).');
    case 'forbidden': return words('Thingiverse does not allow that for this account.');
    case 'unauthorized': return words('Your Thingiverse login is no longer valid.');
    case 'timeout': return words('Thingiverse did not answer in time.');
    default: return words('Thingiverse did not answer properly.');
  }
}

export function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
