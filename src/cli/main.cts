#!/usr/bin/env node
// thingiverse-likes: the command line's entry. Top-level help (`--help`, `-h`, `help`, or no
// arguments) is answered from help.json, which the build renders from the real commander
// program, so it loads neither commander nor the command table and starts about as fast as
// Node itself (issue 13); this file is CommonJS for the same reason. Everything else,
// subcommand help included, runs the full program (run.ts, an ES module).
import fs = require('node:fs');
import path = require('node:path');
import exitQuietlyWhenReaderLeaves = require('./epipe.cjs');
import help = require('./top-help.cjs');

function readHelpFile(): help.HelpFile | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, help.HELP_FILE), 'utf8')) as help.HelpFile;
  } catch {
    return undefined; // built by bare tsc, without the help step: commander answers instead
  }
}

const args = process.argv.slice(2);
const file = args.length <= 1 ? readHelpFile() : undefined;
const answer = file?.answers[help.requestKey(args)];
if (file && answer) {
  exitQuietlyWhenReaderLeaves();
  const stream = process[answer.stream];
  stream.write(help.helpAt(file.table, help.helpWidth(stream)));
  process.exitCode = answer.exitCode;
} else {
  void import('./run.js');
}
