// Exit codes and the one error type commands throw. Scripts depend on the codes, so they
// are fixed: 0 done, 1 failed, 2 bad usage or refused input, 4 not logged in / token refused.
export const EXIT = { ok: 0, failed: 1, usage: 2, auth: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(EXIT.usage, message);
export const notLoggedIn = (host: string) =>
  new CliError(EXIT.auth, `Not logged in to ${host}. Run: thingiverse-likes auth login (or set THINGIVERSE_TOKEN).`);
