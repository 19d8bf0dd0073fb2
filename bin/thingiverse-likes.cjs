#!/usr/bin/env node
// The `thingiverse-likes` command (package.json "bin"): runs the built CLI, or says how to
// build it when a fresh clone has not been built yet. CommonJS, as dist/cli/main.cjs is, so
// `thingiverse-likes --help` starts without the ES module loader (issue 13).
const fs = require('node:fs');
const path = require('node:path');

const main = path.join(__dirname, '..', 'dist', 'cli', 'main.cjs');
if (!fs.existsSync(main)) {
  process.stderr.write('thingiverse-likes is not built yet. Run: npm run build\n');
  process.exit(1);
}
require(main);
