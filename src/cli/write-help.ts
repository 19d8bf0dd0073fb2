// Build step after tsc (`npm run build`): writes dist/cli/help.json for main.cts's fast path.
import fs from 'node:fs';
import { buildHelpFile } from './help-table.js';
import topHelp from './top-help.cjs';

fs.writeFileSync(new URL(topHelp.HELP_FILE, import.meta.url), JSON.stringify(buildHelpFile()) + '\n');
