// Top-level help without commander: the table of texts the build step rendered from the real
// program (help-table.ts), and which requests it answers. Imports nothing, so main.ts can use
// it before deciding whether to load commander at all.

/** Written next to the built main.js by `npm run build`. */
export const HELP_FILE = 'help.json';

/** The help as printed at each terminal width: entry i holds from its `from` up to the next's. */
export type HelpTable = { from: number; text: string }[];

/**
 * Where commander prints top-level help for these arguments, or undefined when the full program
 * must answer. `--help`, `-h` and `help` go to stdout and exit 0; no arguments is a usage error
 * (stderr, exit 2). Anything more, `likes --help` included, is left to commander.
 */
export function topHelpStream(args: readonly string[]): 'stdout' | 'stderr' | undefined {
  if (args.length === 0) return 'stderr';
  if (args.length === 1 && ['--help', '-h', 'help'].includes(args[0]!)) return 'stdout';
  return undefined;
}

/** The width commander wraps to: the terminal's columns, else 80 (commander's default). */
export function helpWidth(stream: { isTTY?: boolean; columns?: number }): number {
  return (stream.isTTY ? stream.columns : undefined) ?? 80;
}

export function helpAt(table: HelpTable, width: number): string {
  let text = table[0]!.text;
  for (const entry of table) if (entry.from <= width) text = entry.text;
  return text;
}
