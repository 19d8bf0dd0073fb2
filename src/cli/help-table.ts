// Renders top-level help through the real commander program, for the build step
// (write-help.ts) and the test that keeps the fast path honest: the text at every width it can
// differ at, and for each request commander answers with it, the stream and the exit code.
import { CommanderError } from 'commander';
import { createProgram, exitCodeOf } from './program.js';
import topHelp from './top-help.cjs';
import type { HelpFile } from './top-help.cjs';

/** The arguments that print top-level help; main.cts answers exactly these from the file. */
export const TOP_LEVEL_REQUESTS: string[][] = [[], ['--help'], ['-h'], ['help']];

export interface Rendered {
  text: string;
  stream: 'stdout' | 'stderr' | 'both';
  exitCode: number;
}

/** What the full program prints for these arguments at this width, where, and its exit code. */
export function renderHelp(args: string[], width: number): Rendered {
  const printed = { stdout: '', stderr: '' };
  const program = createProgram().configureOutput({
    writeOut: (s) => void (printed.stdout += s),
    writeErr: (s) => void (printed.stderr += s),
    getOutHelpWidth: () => width,
    getErrHelpWidth: () => width,
  });
  let exitCode: number = 0;
  try {
    program.parse(args, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    exitCode = exitCodeOf(err);
  }
  const stream = printed.stderr === '' ? 'stdout' : printed.stdout === '' ? 'stderr' : 'both';
  return { text: printed.stdout + printed.stderr, stream, exitCode };
}

/**
 * Commander wraps descriptions to the width and leaves them whole below its minimum wrap width
 * (so width 0 prints no wrapping at all); from the longest unwrapped line on nothing wraps any
 * more, so the last entry holds for every wider terminal.
 */
export function buildHelpFile(): HelpFile {
  const widest = Math.max(...renderHelp(['--help'], 0).text.split('\n').map((line) => line.length));
  const table: HelpFile['table'] = [];
  for (let width = 0; width <= widest; width++) {
    const { text } = renderHelp(['--help'], width);
    if (table.at(-1)?.text !== text) table.push({ from: width, text });
  }
  const answers: HelpFile['answers'] = {};
  for (const args of TOP_LEVEL_REQUESTS) {
    const { text, stream, exitCode } = renderHelp(args, 80);
    // One table serves them all: refuse to build a fast path that would print something else.
    if (stream === 'both' || text !== renderHelp(['--help'], 80).text) {
      throw new Error(`thingiverse-likes ${args.join(' ')} no longer prints the top-level help alone`);
    }
    answers[topHelp.requestKey(args)] = { stream, exitCode };
  }
  return { answers, table };
}
