// A like or unlike whose answer was lost (timeout, reset, a 5xx after sending) may or may not
// have reached Thingiverse, and we never resend it on our own: we read the thing's real
// is_liked and judge from that. The web app's likes service and the CLI's writer both judge
// with this one rule; each does its own read (through its own limiter) and its own reporting.
import type { UpstreamError } from '../thingiverse/errors.js';

/**
 * - `applied`: Thingiverse has the state that was asked for.
 * - `not_applied`: Thingiverse answered (or dropped the connection) and the write is not there.
 * - `unknown`: the read failed, or we only gave up waiting and Thingiverse may still apply the
 *   write after our read; only a later read can tell.
 */
export type ReadBack = 'applied' | 'not_applied' | 'unknown';

/** `isLiked`: what the read-back showed, or undefined when the read itself failed. */
export function judgeReadBack(err: UpstreamError, wanted: boolean, isLiked: boolean | undefined): ReadBack {
  if (isLiked === undefined) return 'unknown';
  if (isLiked === wanted) return 'applied';
  return err.kind === 'timeout' ? 'unknown' : 'not_applied';
}
