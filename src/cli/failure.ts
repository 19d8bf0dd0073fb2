// Any failure → one readable line on stderr and an exit code. Upstream failures use the
// app's one wording (describeUpstream in src/errors.ts); nothing here can carry the token, because
// UpstreamError never holds it and other errors print only their message.
import { isUpstreamError } from '../thingiverse/errors.js';
import { HttpError, describeUpstream } from '../errors.js';
import { CliError, EXIT, type ExitCode } from './errors.js';

export function describeFailure(err: unknown, debug: boolean): { exitCode: ExitCode; message: string } {
  if (err instanceof CliError) return { exitCode: err.exitCode, message: err.message };
  if (isUpstreamError(err)) {
    if (err.kind === 'unauthorized') {
      return { exitCode: EXIT.auth, message: 'Thingiverse refused the token (revoked or wrong). Log in again: thingiverse-likes auth login' };
    }
    return { exitCode: EXIT.failed, message: describeUpstream(err, 'cli').message };
  }
  // Login checks from src/auth throw HttpError 400: the token was refused.
  if (err instanceof HttpError) return { exitCode: err.status === 400 ? EXIT.auth : EXIT.failed, message: err.message };
  // The client validates ids and names before any request: a TypeError there is bad input.
  if (err instanceof TypeError && !debug) return { exitCode: EXIT.usage, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: EXIT.failed, message: debug && err instanceof Error && err.stack ? err.stack : `Unexpected error: ${message}` };
}
