// Upstream faults × page routes (GET /, GET /liked as a page and as JSON), over real HTTP.
// The table and the checks live in helpers/fault-*.ts; see the "Faults" section.
import { describeFaultsOn } from './helpers/fault-suite.js';

describeFaultsOn('page', 'upstream faults on pages');
