#!/usr/bin/env node
// The `thingiverse-likes` command (package.json "bin"): runs the built CLI, or says how to
// build it when a fresh clone has not been built yet.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('thingiverse-likes is not built yet. Run: npm run build\n');
  process.exit(1);
}
await import(main.href);
