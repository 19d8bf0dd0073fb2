#!/usr/bin/env node
// thingiverse-likes: the command line's entry. Top-level help (`--help`, `-h`, `help`, or no
// arguments) comes from help.json, which the build renders from the real commander program, so
// it prints without loading commander or the command table and starts about as fast as Node
// itself (issue 13). Everything else, subcommand help included, runs the full program (run.ts).
import fs from 'node:fs';
import { exitQuietlyWhenReaderLeaves } from './epipe.js';
import { EXIT } from './errors.js';
import { HELP_FILE, helpAt, helpWidth, topHelpStream, type HelpTable } from './top-help.js';

function readTable(): HelpTable | undefined {
  try {
    return JSON.parse(fs.readFileSync(new URL(HELP_FILE, import.meta.url), 'utf8')) as HelpTable;
  } catch {
    return undefined; // built by bare tsc, without the help step: commander answers instead
  }
}

const where = topHelpStream(process.argv.slice(2));
const table = where && readTable();
if (where && table) {
  exitQuietlyWhenReaderLeaves();
  const stream = process[where];
  stream.write(helpAt(table, helpWidth(stream)));
  process.exitCode = where === 'stdout' ? EXIT.ok : EXIT.usage;
} else {
  await import('./run.js');
}
