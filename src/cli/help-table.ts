// Renders top-level help through the real commander program at every width it can differ at,
// for the build step (write-help.ts) and the test that keeps the fast path honest.
import { CommanderError } from 'commander';
import { createProgram } from './program.js';
import type { HelpTable } from './top-help.js';

/** What commander prints (stdout and stderr together) for these arguments at this width. */
export function renderHelp(args: string[], width: number): string {
  let printed = '';
  const program = createProgram().configureOutput({
    writeOut: (s) => void (printed += s),
    writeErr: (s) => void (printed += s),
    getOutHelpWidth: () => width,
    getErrHelpWidth: () => width,
  });
  try {
    program.parse(args, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
  }
  return printed;
}

/**
 * Commander wraps descriptions to the width and leaves them whole below its minimum wrap width
 * (so width 0 prints no wrapping at all); from the longest unwrapped line on nothing wraps any
 * more, so the last entry holds for every wider terminal.
 */
export function buildHelpTable(): HelpTable {
  const widest = Math.max(...renderHelp(['--help'], 0).split('\n').map((line) => line.length));
  const table: HelpTable = [];
  for (let width = 0; width <= widest; width++) {
    const text = renderHelp(['--help'], width);
    if (table.at(-1)?.text !== text) table.push({ from: width, text });
  }
  return table;
}
