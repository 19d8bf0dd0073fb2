// Top-level help without commander: the file the build step renders from the real program
// (help-table.ts) and how the entry (main.cts) answers from it. CommonJS with no imports: an
// ES module entry alone costs Node about a fifth more start-up than `node -e 0` (issue 13).

interface HelpFile {
  /** Keyed by requestKey(args): where commander prints the help for them, and the exit code. */
  answers: Record<string, { stream: 'stdout' | 'stderr'; exitCode: number }>;
  /** The help as printed at each terminal width: entry i holds from its `from` up to the next's. */
  table: { from: number; text: string }[];
}

/** Unambiguous for any arguments (`thingiverse-likes ""` is not no arguments). */
const requestKey = (args: readonly string[]) => JSON.stringify(args);

/** The width commander wraps to: the terminal's columns, else 80 (its default). */
function helpWidth(stream: { isTTY?: boolean; columns?: number }): number {
  return (stream.isTTY ? stream.columns : undefined) ?? 80;
}

function helpAt(table: HelpFile['table'], width: number): string {
  let text = table[0]!.text;
  for (const entry of table) if (entry.from <= width) text = entry.text;
  return text;
}

const topHelp = {
  /** Written next to the built main.cjs by `npm run build`. */
  HELP_FILE: 'help.json',
  requestKey,
  helpWidth,
  helpAt,
};
// CommonJS under verbatimModuleSyntax exports one value; the type rides along on a namespace.
declare namespace topHelp {
  export type { HelpFile };
}
export = topHelp;
