// Upstream faults × like and unlike (JSON for scripts, a form for browsers), over real HTTP.
// The table and the checks live in helpers/fault-*.ts; see the "Faults" section.
import { describeFaultsOn } from './helpers/fault-suite.js';

describeFaultsOn('write', 'upstream faults on like and unlike');
