// Build step after tsc (`npm run build`): writes dist/cli/help.json for main.ts's fast path.
import fs from 'node:fs';
import { buildHelpTable } from './help-table.js';
import { HELP_FILE } from './top-help.js';

fs.writeFileSync(new URL(HELP_FILE, import.meta.url), JSON.stringify(buildHelpTable()) + '\n');
