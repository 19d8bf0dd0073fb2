// The command line's commander program: global options, top-level help text and the command
// table. Built fresh on each call so the build step (help-table.ts) can render it many times.
import { Command, type CommanderError } from 'commander';
import { EXIT } from './errors.js';
import { declareCommands } from './commands.js';

export function createProgram(): Command {
  const program = new Command('thingiverse-likes')
    .description('Browse Thingiverse, like and unlike things, and keep your likes, from the terminal.')
    .version('0.1.0')
    .option('--json', 'machine-readable output on stdout (NDJSON with --all)')
    .option('--api-url <url>', 'Thingiverse API origin (THINGIVERSE_API_URL)')
    .option('--site-url <url>', 'Thingiverse website origin (THINGIVERSE_SITE_URL)')
    .option('--callback-url <url>', 'registered callback URL for the browser login (default PUBLIC_URL/callback)')
    .option('--sandbox', 'run the bundled sandbox for this command and log in to it')
    .option('--user <name>', 'with --sandbox: log in as this demo user (default ada_maker); likes list: whose likes')
    .option('--debug', 'say which hosts and files are used (never the token)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      'after',
      `
Examples:
  $ thingiverse-likes auth login
  $ thingiverse-likes popular --limit 5
  $ thingiverse-likes like 2285753 https://www.thingiverse.com/thing:763622
  $ thingiverse-likes likes export --format csv -o likes.csv
  $ thingiverse-likes --sandbox --user cleo_collects likes ids --json

Exit codes: 0 done, 1 failed or interrupted, 2 bad usage or refused input, 4 not logged in or token refused.`,
    );
  declareCommands(program);
  return program;
}

/** Commander stops with an error for --help and --version too (exitCode 0); the rest is bad usage. */
export const exitCodeOf = (err: CommanderError) => (err.exitCode === 0 ? EXIT.ok : EXIT.usage);
