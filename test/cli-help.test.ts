// Top-level help comes from the build's table (dist/cli/help.json) without commander; these
// prove it is exactly what the full program (dist/cli/run.js, commander) prints, so the two
// cannot drift: same stream, exit code and bytes, in a pipe and on terminals of any width.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildHelpTable, renderHelp } from '../src/cli/help-table.js';
import { helpAt, HELP_FILE, type HelpTable } from '../src/cli/top-help.js';
import { assertBuilt, CLI, ROOT } from './helpers/cli.js';

const FULL = path.join(ROOT, 'dist', 'cli', 'run.js');
const env = { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' };
assertBuilt();

const run = (program: string, args: string[]) => {
  const { status, stdout, stderr } = spawnSync(process.execPath, [program, ...args], { env, encoding: 'utf8' });
  return { status, stdout, stderr };
};

describe('top-level help without commander', () => {
  it.each([['no arguments', []], ['--help', ['--help']], ['-h', ['-h']], ['help', ['help']]])('%s prints what commander prints, on the same stream, with its exit code', (_, args) => {
    const fast = run(CLI, args);
    expect(fast.stdout + fast.stderr).toContain('Usage: thingiverse-likes');
    expect(fast).toEqual(run(FULL, args));
  });

  it('the built table is current and matches commander at every width, wider terminals included', () => {
    const built = JSON.parse(fs.readFileSync(path.join(path.dirname(CLI), HELP_FILE), 'utf8')) as HelpTable;
    expect(built).toEqual(buildHelpTable());
    for (const width of [...Array(250).keys(), 1000]) {
      expect({ width, text: helpAt(built, width) }).toEqual({ width, text: renderHelp(['--help'], width) });
    }
  });

  // script(1) gives both a real terminal; stty sets the width commander wraps to.
  it.each([50, 100, 150])('on a terminal %i columns wide it wraps as commander does', (cols) => {
    const onTerminal = (program: string) =>
      spawnSync('script', ['-qec', `stty cols ${cols}; ${JSON.stringify(process.execPath)} ${JSON.stringify(program)} --help`, '/dev/null'], { env, encoding: 'utf8' }).stdout;
    const fast = onTerminal(CLI);
    expect(fast).toContain('Usage: thingiverse-likes');
    expect(fast).toBe(onTerminal(FULL));
  });
});
