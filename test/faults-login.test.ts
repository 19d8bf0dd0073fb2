// Upstream faults × the login steps (tokeninfo, users/me, code exchange), over real HTTP.
// The table and the checks live in helpers/fault-*.ts; see the "Faults" section.
import { describeFaultsOn } from './helpers/fault-suite.js';

describeFaultsOn('login', 'upstream faults during login');
