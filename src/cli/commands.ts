// Every command, its options and a help example. Actions import their module on use.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { GlobalOptions } from './context.js';

type Action = (cmd: Command, args: string[]) => Promise<void>;

/** The last argument commander passes is the command; the ones before it are the positionals. */
function lazy(action: Action) {
  return async (...raw: unknown[]) => {
    const cmd = raw[raw.length - 1] as Command;
    const args = raw.slice(0, -2).flat() as string[];
    await action(cmd, args);
  };
}

export const globals = (cmd: Command) => cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;

function positiveInt(max: number) {
  return (raw: string) => {
    if (!/^[1-9][0-9]{0,6}$/.test(raw) || Number(raw) > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`);
    return Number(raw);
  };
}

function example(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ thingiverse-likes ${l}`).join('\n')}\n`);
}

function listOptions(cmd: Command, sorts: string[]): Command {
  return cmd
    .addOption(new Option('--sort <order>', 'sort order').choices(sorts))
    .option('--featured', 'featured things only')
    .option('--page <n>', 'page to start from', positiveInt(10_000))
    .option('--limit <n>', 'how many things (default 20)', positiveInt(10_000))
    .option('--all', 'every page (NDJSON with --json), within the rate limit');
}

export function declareCommands(program: Command): void {
  const auth = example(program.command('auth').description('log in, check or forget your Thingiverse login'), 'auth status');
  example(
    auth.command('login').description('log in through the browser (or --with-token from stdin)')
      .option('--with-token', 'read an access token from stdin')
      .option('--no-browser', 'print the login URL instead of opening a browser'),
    'auth login',
    'auth login --with-token < token.txt',
  ).action(lazy(async (cmd) => (await import('./auth.js')).login(globals(cmd))));
  example(auth.command('status').description('who is logged in, to which host, and where the token is kept'), 'auth status --json')
    .action(lazy(async (cmd) => (await import('./auth.js')).status(globals(cmd))));
  example(auth.command('logout').description('delete the stored token'), 'auth logout')
    .action(lazy(async (cmd) => (await import('./auth.js')).logout(globals(cmd))));

  for (const [name, text] of [['popular', 'popular things'], ['newest', 'newest things']] as const) {
    example(listOptions(program.command(name).description(text), ['popular', 'newest', 'makes']), `${name} --limit 5`, `${name} --all --json > ${name}.ndjson`)
      .action(lazy(async (cmd) => (await import('./lists.js')).list(name, [], globals(cmd))));
  }
  example(
    listOptions(program.command('search').argument('<words...>', 'what to look for').description('search things'), ['relevant', 'popular', 'newest', 'makes']),
    'search benchy --sort popular --limit 10',
  ).action(lazy(async (cmd, words) => (await import('./lists.js')).list('search', words, globals(cmd))));

  example(
    program.command('thing').argument('<id|url>', 'a thing id or a Thingiverse thing URL').description("a thing's facts")
      .option('--web', 'open it on Thingiverse in the browser'),
    'thing 2285753',
    'thing https://www.thingiverse.com/thing:2285753 --web',
  ).action(lazy(async (cmd, [ref]) => (await import('./thing.js')).show(ref!, globals(cmd))));

  for (const verb of ['like', 'unlike'] as const) {
    example(
      program.command(verb).argument('<ids...>', 'thing ids or URLs; - reads them from stdin, one a line')
        .description(`${verb} things (already ${verb}d is fine; your own things are skipped)`)
        .option('--dry-run', 'say what would be sent, send nothing'),
      `${verb} 2285753 763622`,
      `${verb} - < ids.txt`,
    ).action(lazy(async (cmd, refs) => (await import('./like.js')).likeMany(verb, refs, globals(cmd))));
  }

  const likes = example(program.command('likes').description('your likes: list, ids, export, import'), 'likes list --limit 10');
  example(
    likes.command('list').description('liked things, newest like first')
      .addOption(new Option('--sort <order>', 'sort order (all but "liked" read every page)').choices(['liked', 'oldest', 'name', 'popular']))
      .option('--page <n>', 'page to start from', positiveInt(10_000))
      .option('--limit <n>', 'how many things (default 20)', positiveInt(100_000))
      .option('--all', 'every page (NDJSON with --json)'),
    'likes list --user ada_maker --limit 5',
  ).action(lazy(async (cmd) => (await import('./likes.js')).list(globals(cmd))));
  example(likes.command('ids').description('every liked thing id, one a line'), 'likes ids > ids.txt')
    .action(lazy(async (cmd) => (await import('./likes.js')).ids(globals(cmd))));
  example(
    likes.command('export').description('all your likes as a file (the web app\'s format)')
      .addOption(new Option('--format <format>', 'file format').choices(['json', 'csv']).default('json'))
      .option('-o, --output <file>', 'write to this file instead of stdout'),
    'likes export --format csv -o likes.csv',
  ).action(lazy(async (cmd) => (await import('./export.js')).exportLikes(globals(cmd))));
  example(
    likes.command('import').argument('<file>', 'an export (JSON or CSV) or a list of ids/URLs, one a line')
      .description('like every thing in a file (the web app\'s import)')
      .option('--dry-run', 'show the plan, send nothing')
      .option('--match', 'also unlike what is not in the file')
      .option('--resume', 'continue an interrupted import of this file'),
    'likes import likes.json --dry-run',
    'likes import likes.json --resume',
  ).action(lazy(async (cmd, [file]) => (await import('./import.js')).importLikes(file!, globals(cmd))));
}
