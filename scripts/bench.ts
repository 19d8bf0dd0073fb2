// npm run bench [-- --latency 50 --connections 10 --duration 10 --total 50000 --cpu-prof DIR]
// Measures the app against the upstream in one run (issue 5): the sandbox and the app run as
// child processes, so autocannon, here, never shares an event loop with what it measures;
// each app row is compared with the same work sent to the sandbox directly in this run.
// Exit code 1 when a target is missed.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { login, request, sandboxToken, type Measured } from './bench-http.js';
import { appLog, startApp, startFlags, startSandbox } from './bench-procs.js';
import { appLiked, appLikes, appPopular, upstreamLiked, upstreamLikes, upstreamPopular, type Ctx } from './bench-phases.js';
import { benchBulk } from './bench-bulk.js';
import { bulkRow, ratio, row, table, type Row } from './bench-report.js';
import { publish } from './bench-publish.js';
import { benchCli } from './bench-cli.js';

const { values: a } = parseArgs({
  options: {
    latency: { type: 'string', default: '50' },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    total: { type: 'string', default: '50000' },
    'cpu-prof': { type: 'string' },
  },
});
const latencyMs = Number(a.latency);
const total = Number(a.total);
const log = (s: string) => console.error(`bench: ${s}`);
const errorsNote = (m: Measured, r: Row): Row => (m.bad > 0 ? { ...r, vs: `${r.vs ?? ''} ${m.bad} errors`, pass: false } : r);

const sb = await startSandbox({ latencyMs, rateLimit: 'lifted', publicUrl: 'http://localhost:3000' });
const ctx: Ctx = { sb, connections: Number(a.connections), duration: Number(a.duration) };
const rows: Row[] = [];
const adaToken = await sandboxToken(sb.port, 'ada_maker');

log('1/8 upstream GET /popular');
const up = row('upstream GET /popular', await upstreamPopular(ctx, adaToken), null);
rows.push(up);

log('2/8 popular page through the app, cold (POPULAR_CACHE_SECONDS=0)');
const cold = await startApp({ sandboxPort: sb.port, popularCacheSeconds: 0, cpuProf: a['cpu-prof'] });
const sCold = await login(cold, sb.port, 'ada_maker');
await request(cold.port, 'GET', '/', { headers: { host: cold.host, cookie: sCold.cookie } }); // like-state snapshot loaded
const coldM = await appPopular(ctx, cold, sCold, 50);
const coldRow = ratio(row('popular page, app, cold', coldM, cold.peakRssMb()), up, 1.1, 5);
rows.push(errorsNote(coldM, { ...coldRow, vs: `${coldRow.vs}; ${coldM.upstreamPopular} upstream calls for ${coldM.sent} pages` }));
await cold.stop();

log('3/8 popular page through the app, warm');
const app = await startApp({ sandboxPort: sb.port, popularCacheSeconds: 3600, cpuProf: a['cpu-prof'] });
let sent = 0;
const s = await login(app, sb.port, 'ada_maker');
for (let p = 1; p <= 5; p++) await request(app.port, 'GET', `/?page=${p}`, { headers: { host: app.host, cookie: s.cookie } });
const warmM = await appPopular(ctx, app, s, 5);
sent += warmM.sent;
rows.push(errorsNote(warmM, {
  ...row('popular page, app, warm', warmM, app.peakRssMb()),
  vs: `${warmM.upstreamPopular} upstream /popular calls`,
  target: '0 upstream calls, >= 1,000 req/s', pass: warmM.upstreamPopular === 0 && warmM.rps >= 1000,
}));

log('4/8 like + unlike round trips');
const list = await request(sb.port, 'GET', '/popular?page=10&per_page=100', { headers: { authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } });
const liked = new Set(JSON.parse((await request(sb.port, 'GET', '/__sandbox/users/ada_maker/likesids')).body) as number[]);
const tripIds = (JSON.parse(list.body) as { id: number }[]).map((t) => t.id).filter((id) => !liked.has(id)).slice(0, ctx.connections);
const upTrip = row('upstream POST + DELETE like (round trip)', await upstreamLikes(ctx, adaToken, tripIds), null, 'trip');
rows.push(upTrip);
const likeM = await appLikes(ctx, app, s, tripIds);
sent += likeM.sent;
rows.push(errorsNote(likeM, ratio(row('like + unlike, app (round trip)', likeM, app.peakRssMb(), 'trip'), upTrip, 1.05, 3)));

log('5/8 liked page of cleo_collects (1,200 likes)');
const cleoToken = await sandboxToken(sb.port, 'cleo_collects');
const upLiked = row('upstream GET /users/:name/likes', await upstreamLiked(ctx, cleoToken, 'cleo_collects', 40), null);
rows.push(upLiked);
const sC = await login(app, sb.port, 'cleo_collects');
const likedM = await appLiked(ctx, app, sC, 40);
sent += likedM.sent;
rows.push(errorsNote(likedM, ratio(row('liked page, app (1,200 likes)', likedM, app.peakRssMb()), upLiked, 1.1, null)));

log(`6/7 warm page views until the app has served ${total.toLocaleString('en')} requests, then its memory`);
if (sent < total) sent += (await appPopular(ctx, app, s, 5, { amount: total - sent })).sent;
// "After" = once the run is over and its connections closed: what the process keeps, the
// figure that grows if something leaks. The peak during the run is in its own column.
await new Promise((r) => setTimeout(r, 3000));
const after = app.rssMb();
const heap = await app.memoryUsage();
rows.push({
  name: `app after ${sent.toLocaleString('en')} requests`, p50: NaN, p99: NaN, rps: NaN, rssMb: app.peakRssMb(),
  vs: `RSS after the run ${after.toFixed(1)} MB (V8 heap ${(heap.heapUsed / 1048576).toFixed(1)} of ${(heap.heapTotal / 1048576).toFixed(1)} MB)`,
  target: 'RSS after < 150 MB', pass: after < 150,
});
await app.stop();
await sb.stop();

log('7/8 bulk: 200 likes against a sandbox with the real 300 per 5 min budget');
const sbReal = await startSandbox({ latencyMs, rateLimit: 'real', publicUrl: 'http://localhost:3000' });
const appReal = await startApp({ sandboxPort: sbReal.port, popularCacheSeconds: 30, rateLimit: 'real' });
const bulk = bulkRow(await benchBulk(sbReal, appReal));
rows.push(bulk);
await appReal.stop();
await sbReal.stop();

log('8/8 command line: --help start-up, likes ids on 10,000 likes');
const sbCli = await startSandbox({ latencyMs: 0, rateLimit: 'lifted', publicUrl: 'http://localhost:3000', heavyLikes: 10_000 });
rows.push(...(await benchCli(sbCli, 'heavy_liker', 10_000)));
await sbCli.stop();

const failed = rows.filter((r) => r.pass === false);
const out = [
  `thingiverse-likes bench · sandbox latency ${latencyMs} ms · ${ctx.connections} connections · ${ctx.duration} s per row · `
    + `node ${process.version} ${startFlags().join(' ')} (as npm start)`,
  ...table(rows),
  '',
  `bulk: ${bulk.detail}`,
  `app log (LOG_LEVEL=warn): ${appLog.warn} warnings (requests cut off when autocannon stops a run), ${appLog.error} errors`,
  failed.length === 0 ? 'Every target met.' : `Missed: ${failed.map((r) => r.name).join('; ')}`,
];
for (const line of out) console.log(line);
log(`table written to ${publish(out).join(', ') || 'no file (markers missing)'}`);
process.exitCode = failed.length === 0 ? 0 : 1;
