#!/usr/bin/env node
// thingiverse-likes: the command line. This file only declares commands (commander) and
// maps failures to exit codes; each command's code is imported when it runs, so `--help`
// loads no HTTP client, database or sandbox.
import { Command, CommanderError } from 'commander';
import { EXIT } from './errors.js';
import { declareCommands } from './commands.js';

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

// `thingiverse-likes … | head`: the reader went away, which is not a failure. Stop quietly
// (exit 0, as other Unix tools), never print a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exitCode 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { describeFailure } = await import('./failure.js');
    const failure = describeFailure(err, Boolean(program.opts()['debug']));
    process.stderr.write(failure.message + '\n');
    return failure.exitCode;
  }
}

// Let stdout drain before leaving (a pipe may still hold a big --json answer).
const code = await main();
process.exitCode = code;
setImmediate(() => process.exit(code)).unref();
