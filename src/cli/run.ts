// The whole command line: parses with commander, runs the chosen command and maps failures to
// exit codes. main.cts loads this for everything but top-level help; `node dist/cli/run.js`
// runs it directly (the tests compare the two). Each command's code is imported when it runs,
// so even here `--help` loads no HTTP client, database or sandbox.
import { CommanderError } from 'commander';
import exitQuietlyWhenReaderLeaves from './epipe.cjs';
import { EXIT } from './errors.js';
import { createProgram, exitCodeOf } from './program.js';

const program = createProgram();
exitQuietlyWhenReaderLeaves();

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return exitCodeOf(err);
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
