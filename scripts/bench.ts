// npm run bench [-- --quick] [-- --runs 3 --duration 4 --latency 50 --connections 10 --total 50000 --cpu-prof DIR]
// Measures the app against what it is compared with, in one run (issues 5 and 13): the
// sandbox, the app and the bare server are child processes, so autocannon, here, never
// shares an event loop with what it measures. Every row runs --runs times, paired rows
// alternate (A B A B), and the table shows medians with the runs' spread; every verdict is
// judged on medians. Exit code 1 when a target is missed. A full run writes its table into
// README.md and docs/performance.md (bench-publish.ts); --quick (one short run per row, a
// smoke test of the bench itself) never does.
import { parseArgs } from 'node:util';
import { BULK_DEFAULTS } from '../src/jobs/registry.js';
import { HEAVY_USER_NAME } from '../src/sandbox/heavy-user.js';
import { login } from './bench-http.js';
import { appLog, startApp, startFlags, startSandbox } from './bench-procs.js';
import type { Ctx } from './bench-phases.js';
import { uncachedRows, warmRows, writeCeiling } from './bench-pages.js';
import { scaleRows, scaleUsers } from './bench-scale.js';
import { exportRows } from './bench-export.js';
import { importIds, popularIds } from './bench-import.js';
import { bulkReal, bulkSustained } from './bench-bulk.js';
import { benchCli } from './bench-cli.js';
import { median, table, verdict, type Row } from './bench-report.js';
import { publish } from './bench-publish.js';

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    duration: { type: 'string' },
    latency: { type: 'string', default: '50' },
    connections: { type: 'string', default: '10' },
    total: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const quick = a.quick;
const runs = Number(a.runs ?? (quick ? 1 : 3));
const latencyMs = Number(a.latency);
const total = Number(a.total ?? (quick ? 5_000 : 50_000));
const importCount = quick ? 60 : 300;
const HEAVY = 10_000;
// Scaled down so that a job spans several windows in seconds; the app is told the same budget.
const SCALED = { limit: 150, windowMs: 3000 };
const cpuProf = a['cpu-prof'];
const started = performance.now();
const log = (s: string) => console.error(`bench: ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${s}`);

const loadUsers = Array.from({ length: 1 + 3 * runs }, (_, i) => `load_user_${i + 1}`);
const sb = await startSandbox({ latencyMs, publicUrl: 'http://localhost:3000', heavyLikes: HEAVY, loadUsers: loadUsers.length });
const ctx: Ctx = { sb, connections: Number(a.connections), duration: Number(a.duration ?? (quick ? 2 : 4)), runs, warmup: quick ? 1 : 3 };
const rows: Row[] = [];
const users = { light: loadUsers[0]!, import: loadUsers.slice(1, 1 + runs), bulk: loadUsers.slice(1 + runs, 1 + 2 * runs), real: loadUsers.slice(1 + 2 * runs) };

rows.push(...(await uncachedRows(ctx, { latencyMs, total, cpuProf }, log)));
const warm = await warmRows(ctx, { latencyMs, total, cpuProf }, log);
rows.push(...warm.rows);

log('scale with likes: ~10 likes vs 10,000 likes; export; import');
const scaleApp = await startApp({ sandboxPort: sb.port, popularCacheSeconds: 3600, cpuProf });
const scale = await scaleUsers(sb, scaleApp, users.light, HEAVY);
rows.push(...(await scaleRows(ctx, scaleApp, scale)));
rows.push(...(await exportRows(scaleApp, scale.heavy.s, HEAVY, runs)));
const importIdsList = await popularIds(sb, importCount);
const imports = [];
for (const user of users.import) imports.push(await importIds(sb, scaleApp, await login(scaleApp, sb.port, user), user, importIdsList));
const ceiling = writeCeiling(warm.upTrip, BULK_DEFAULTS.concurrency);
const rate = median(imports.map((r) => r.count / r.seconds));
rows.push(verdict({ name: `import ${importCount} ids (rate lifted)`, samples: imports.map((r) => ({ p50: NaN, p99: NaN, rps: r.count / r.seconds })), rssMb: scaleApp.peakRssMb() },
  `${median(imports.map((r) => r.seconds)).toFixed(1)} s; ${(rate / ceiling).toFixed(2)}x of ${BULK_DEFAULTS.concurrency} writes in flight at upstream latency (${ceiling.toFixed(0)}/s)`,
  'all liked, 0 lost/dup/429', imports.every((r) => r.liked === r.count && r.duplicated === 0 && r.status429 === 0 && r.failed === 0)));
await scaleApp.stop();

log(`bulk: sustained throughput at ${SCALED.limit} per ${SCALED.windowMs / 1000} s`);
await sb.setRateLimit(SCALED);
const bulkApp = await startApp({ sandboxPort: sb.port, popularCacheSeconds: 30, rateLimit: `${SCALED.limit}/${SCALED.windowMs / 1000}` });
rows.push(await bulkSustained(sb, bulkApp, users.bulk, SCALED, SCALED.limit - BULK_DEFAULTS.reserve));
await bulkApp.stop();

log('bulk: 200 likes against the real budget (300 per 5 minutes)');
await sb.setRateLimit({ limit: 300, windowMs: 300_000 });
const realApp = await startApp({ sandboxPort: sb.port, popularCacheSeconds: 30, rateLimit: 'real' });
rows.push(await bulkReal(sb, realApp, users.real));
await realApp.stop();
await sb.setRateLimit('lifted');

log('command line: --help start-up, likes ids on 10,000 likes');
await sb.setLatency(0);
rows.push(...(await benchCli(sb, HEAVY_USER_NAME, HEAVY, quick ? 3 : 9)));
await sb.stop();

const failed = rows.filter((r) => r.pass === false);
const minutes = (performance.now() - started) / 60_000;
const out = [
  `thingiverse-likes bench${quick ? ' --quick (smoke run: 1 short run per row, not published)' : ''} · sandbox latency ${latencyMs} ms · ${ctx.connections} connections · `
    + `${runs} run${runs === 1 ? '' : 's'} of ${ctx.duration} s per row after a ${ctx.warmup} s warm-up, median (min–max) · node ${process.version} ${startFlags().join(' ')} (as npm start)`,
  ...table(rows),
  '',
  `app log (LOG_LEVEL=warn): ${appLog.warn} warnings (requests cut off when autocannon stops a run), ${appLog.error} errors · whole run ${minutes.toFixed(1)} min`,
  failed.length === 0 ? 'Every target met.' : `Missed: ${failed.map((r) => r.name).join('; ')}`,
];
for (const line of out) console.log(line);
if (quick) log('--quick: README.md and docs/performance.md left as they are');
else log(`table written to ${publish(out).join(', ') || 'no file (markers missing)'}`);
process.exitCode = failed.length === 0 ? 0 : 1;
