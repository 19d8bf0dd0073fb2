// `thingiverse-likes … | head`: the reader went away, which is not a failure. Stop quietly
// (exit 0, as other Unix tools), never print a stack trace.
import { EXIT } from './errors.js';

export function exitQuietlyWhenReaderLeaves(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    throw err;
  });
}
