// Top-level help comes from the build's help file (dist/cli/help.json) without commander;
// these prove it is exactly what the full program (dist/cli/run.js, commander) prints, so the
// two cannot drift: same stream, exit code and bytes, in a pipe and on terminals of any width.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { assertBuilt, CLI, ROOT } from './helpers/cli.js';

assertBuilt();
const DIST = path.dirname(CLI);
const FULL = path.join(DIST, 'run.js');
const BIN = path.join(ROOT, 'bin', 'thingiverse-likes.cjs');
const env = { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' };

const run = (program: string, args: string[]) => {
  const { status, stdout, stderr } = spawnSync(process.execPath, [program, ...args], { env, encoding: 'utf8' });
  return { status, stdout, stderr };
};

describe('top-level help without commander', () => {
  it.each([['no arguments', []], ['--help', ['--help']], ['-h', ['-h']], ['help', ['help']]])(
    '%s prints what commander prints, on the same stream, with its exit code (and so does the bin)',
    (_, args) => {
      const fast = run(CLI, args);
      expect(fast.stdout + fast.stderr).toContain('Usage: thingiverse-likes');
      expect(fast).toEqual(run(FULL, args));
      expect(run(BIN, args)).toEqual(fast);
    },
  );

  it('the built file is current and matches commander at every width, wider terminals included', async () => {
    // The built modules, as the build step and main.cjs run them.
    const { buildHelpFile, renderHelp } = (await import(path.join(DIST, 'help-table.js'))) as typeof import('../src/cli/help-table.js');
    const topHelp = createRequire(import.meta.url)(path.join(DIST, 'top-help.cjs')) as typeof import('../src/cli/top-help.cjs');
    const built = JSON.parse(fs.readFileSync(path.join(DIST, topHelp.HELP_FILE), 'utf8')) as ReturnType<typeof buildHelpFile>;
    expect(built).toEqual(buildHelpFile());
    for (const width of [...Array(250).keys(), 1000]) {
      expect({ width, text: topHelp.helpAt(built.table, width) }).toEqual({ width, text: renderHelp(['--help'], width).text });
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
