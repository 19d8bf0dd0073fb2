// The page rows, each next to what it is measured against in the same run:
// - uncached (POPULAR_CACHE_SECONDS=0): the cold popular page against the sandbox's own
//   /popular, at the bench's latency and with none; the thing page against its two upstream
//   calls made at once; search against the upstream /search it sends;
// - warm: the cached popular page against a bare node:http server answering its very bytes,
//   like + unlike round trips against the same writes sent straight to the sandbox, and the
//   app's memory after --total requests.
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { cannon, login, request, rotate, sandboxToken, type Session } from './bench-http.js';
import { startApp, startBare, type AppProc, type BareFramework, type Recorded } from './bench-procs.js';
import {
  alternate, appGet, appLikes, appPopular, getLoad, topUp, upstreamGet, upstreamLikes, upstreamParallel, upstreamPopular, countingPopular, type Ctx,
} from './bench-phases.js';
import { med, row, verdict, vsBare, vsUpstream, type Row } from './bench-report.js';

export interface PagesOpts { latencyMs: number; total: number; cpuProf?: string }

/** Words the seed's names are made of (src/sandbox/words.ts), each with hits. */
const SEARCH_TERMS = ['holder', 'stand', 'mount', 'box', 'hook', 'vase', 'frame', 'case'];

async function loggedIn(app: AppProc, ctx: Ctx, user: string): Promise<Session> {
  const s = await login(app, ctx.sb.port, user);
  await request(app.port, 'GET', '/', { headers: { host: app.host, cookie: s.cookie } }); // like-state snapshot loaded
  return s;
}

export async function uncachedRows(ctx: Ctx, o: PagesOpts, log: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const token = await sandboxToken(ctx.sb.port, 'ada_maker');
  const app = await startApp({ sandboxPort: ctx.sb.port, popularCacheSeconds: 0, cpuProf: o.cpuProf });
  const s = await loggedIn(app, ctx, 'ada_maker');
  const cold = async (latency: number, factor: number) => {
    log(`cold popular page vs upstream /popular, ${latency} ms sandbox latency`);
    await ctx.sb.setLatency(latency);
    const upstream = { calls: 0, pages: 0 };
    const [up, page] = await alternate(ctx, [upstreamPopular(ctx, token), countingPopular(ctx, appPopular(ctx, app, s, 50), upstream)]);
    const upRow = row(`upstream GET /popular, ${latency} ms`, up!, null);
    rows.push(upRow, verdict(vsUpstream(row(`popular page, cold, ${latency} ms`, page!, app.peakRssMb()), upRow, factor, 2),
      `${upstream.calls} upstream calls for ${upstream.pages} pages`));
  };
  await cold(0, 1);
  await cold(o.latencyMs, 1.1);

  log('thing page vs its upstream detail + images (in parallel)');
  const things = (JSON.parse((await request(ctx.sb.port, 'GET', '/popular?page=2&per_page=50', { headers: { authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } })).body) as { id: number }[]).map((t) => t.id);
  const upThing = rotate(things.length);
  const appThing = rotate(things.length);
  const [upT, appT] = await alternate(ctx, [
    upstreamParallel(ctx, token, () => { const id = things[upThing() - 1]; return [`/things/${id}`, `/things/${id}/images`]; }),
    appGet(ctx, app, s, () => `/things/${things[appThing() - 1]}`),
  ]);
  const upThingRow = row('upstream GET /things/:id + /images', upT!, null);
  rows.push(upThingRow, vsUpstream(row('thing page /things/:id', appT!, app.peakRssMb()), upThingRow, 1.1, null));

  log('search page vs upstream /search');
  const upTerm = rotate(SEARCH_TERMS.length);
  const appTerm = rotate(SEARCH_TERMS.length);
  const [upS, appS] = await alternate(ctx, [
    upstreamGet(ctx, token, () => `/search/${SEARCH_TERMS[upTerm() - 1]}?type=things&sort=relevant&page=1&per_page=30`),
    appGet(ctx, app, s, () => `/search?q=${SEARCH_TERMS[appTerm() - 1]}`),
  ]);
  const upSearch = row('upstream GET /search/:term', upS!, null);
  rows.push(upSearch, vsUpstream(row('search page /search?q=', appS!, app.peakRssMb()), upSearch, 1.1, null));
  await app.stop();
  return rows;
}

/** The response as recorded for the bare server: what Node itself adds per response is left out. */
function recorded(a: { status: number; headers: Record<string, string | string[] | undefined>; body: string }): Recorded {
  const skip = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
  const headers = Object.fromEntries(Object.entries(a.headers).filter((e): e is [string, string | string[]] => e[1] !== undefined && !skip.has(e[0])));
  return { status: a.status, headers, body: a.body };
}

export async function warmRows(ctx: Ctx, o: PagesOpts, log: (s: string) => void): Promise<{ rows: Row[]; upTrip: Row }> {
  const rows: Row[] = [];
  const token = await sandboxToken(ctx.sb.port, 'ada_maker');
  const app = await startApp({ sandboxPort: ctx.sb.port, popularCacheSeconds: 3600, cpuProf: o.cpuProf });
  const s = await loggedIn(app, ctx, 'ada_maker');

  log('warm popular page vs a bare node:http server answering its bytes (A B A B)');
  const pages: Record<string, Recorded> = {};
  for (let p = 1; p <= 5; p++) {
    const path = `/?page=${p}`;
    await request(app.port, 'GET', path, { headers: { host: app.host, cookie: s.cookie } }); // cached
    pages[path] = recorded(await request(app.port, 'GET', path, { headers: { host: app.host, cookie: s.cookie } }));
  }
  const bare = await startBare(pages);
  const barePage = rotate(5);
  const upstream = { calls: 0, pages: 0 };
  const [warm, ceiling] = await alternate(ctx, [
    countingPopular(ctx, appPopular(ctx, app, s, 5), upstream),
    getLoad(ctx, { url: bare.url, headers: { host: app.host, cookie: s.cookie } }, () => `/?page=${barePage()}`),
  ]);
  await bare.stop();
  const bareRow = row('bare node:http, same bytes', ceiling!, null);
  rows.push(bareRow, vsBare(row('popular page, warm', warm!, app.peakRssMb()), bareRow, 0.3, upstream.calls));

  log('like + unlike round trips vs the same writes at the sandbox');
  const list = await request(ctx.sb.port, 'GET', '/popular?page=10&per_page=100', { headers: { authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } });
  const liked = new Set(JSON.parse((await request(ctx.sb.port, 'GET', '/__sandbox/users/ada_maker/likesids')).body) as number[]);
  const ids = (JSON.parse(list.body) as { id: number }[]).map((t) => t.id).filter((id) => !liked.has(id)).slice(0, ctx.connections);
  const [upL, appL] = await alternate(ctx, [upstreamLikes(ctx, token, ids), appLikes(ctx, app, s, ids)]);
  const upTrip = row('upstream POST + DELETE like (round trip)', upL!, null, 'trip');
  rows.push(upTrip, vsUpstream(row('like + unlike (round trip)', appL!, app.peakRssMb(), 'trip'), upTrip, 1.05, 3));

  log(`warm views until the app has served ${o.total.toLocaleString('en')} requests, then its memory`);
  await topUp(ctx, app, s, o.total);
  await afterPause();
  const after = app.rssMb();
  const peak = app.peakRssMb();
  const heap = await app.memoryUsage();
  // V8 keeps the heap it grew under load (about 4x what stays alive) until its memory reducer
  // collects and gives pages back, some 10-40 s after allocation stops: shown, not judged.
  const idle = await settled(app, heap.heapTotal);
  const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
  rows.push(verdict({ name: `app after ${app.served.toLocaleString('en')} requests`, samples: [], rssMb: peak },
    `RSS after ${after.toFixed(1)} MB, peak ${peak.toFixed(1)} MB (V8 heap ${mb(heap.heapUsed)} of ${mb(heap.heapTotal)} MB); ` +
      (idle ? `${idle.rssMb.toFixed(1)} MB once V8 shrank its heap to ${mb(idle.heapTotal)} MB, ${idle.seconds} s idle` : `V8 kept its heap for ${SETTLE_SECONDS} s idle`),
    'RSS after <= 90 MB, peak <= 110 MB', after <= 90 && peak <= 110));
  await app.stop();

  // What the memory target is measured against: the same bytes, requests and pause, served by
  // plain node:http, by plain Express 5 (the framework the app must use) and by Express with
  // the other required libraries loaded, without the app's node flags, as the target asks
  // ("no V8 flag tuning needed"). Shown, not judged.
  for (const framework of ['node:http', 'express', 'stack'] as const) {
    log(`memory floor: ${framework} answering the same bytes, ${o.total.toLocaleString('en')} requests`);
    rows.push(await memoryFloor(ctx, pages, framework, o.total));
  }
  return { rows, upTrip };
}

/**
 * "After" = 3 s after the last request, its connections closed: what the process keeps, the
 * figure that grows if something leaks. The peak (VmHWM) is over the process's whole life.
 */
const afterPause = () => new Promise((r) => setTimeout(r, 3000));

const FLOORS: Record<BareFramework, { name: string; what: string }> = {
  'node:http': { name: 'plain node:http', what: 'the same bytes' },
  express: { name: 'plain Express 5', what: 'the same bytes through res.send' },
  stack: { name: 'Express 5 + required libraries', what: 'as plain Express, with express-session, ejs, got and helmet loaded, unused' },
};

async function memoryFloor(ctx: Ctx, pages: Record<string, Recorded>, framework: BareFramework, total: number): Promise<Row> {
  const server = await startBare(pages, framework);
  const idle = server.rssMb();
  const page = rotate(5);
  const m = await cannon({ url: server.url, connections: ctx.connections, amount: total, requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/?page=${page()}` }) }] });
  await afterPause();
  const after = server.rssMb();
  const peak = server.peakRssMb();
  await server.stop();
  const name = `floor: ${FLOORS[framework].name}, ${m.sent.toLocaleString('en')} requests`;
  // Only the memory is this row's figure: one unpaced run's latencies say nothing.
  return verdict({ name, samples: [], rssMb: null, ...(m.bad > 0 ? { vs: `${m.bad} answers not 2xx` } : {}) },
    `RSS idle ${idle.toFixed(1)} MB, after ${after.toFixed(1)} MB, peak ${peak.toFixed(1)} MB; ${FLOORS[framework].what}, no node flags`);
}

const SETTLE_SECONDS = 60;

/** Polls (1 s) until V8 has given back the heap grown under load (heapTotal below 60% of it); undefined after SETTLE_SECONDS. */
async function settled(app: AppProc, loadedHeapTotal: number): Promise<{ rssMb: number; heapTotal: number; seconds: number } | undefined> {
  for (let seconds = 1; seconds <= SETTLE_SECONDS; seconds++) {
    await new Promise((r) => setTimeout(r, 1000));
    const { heapTotal } = await app.memoryUsage();
    if (heapTotal < 0.6 * loadedHeapTotal) return { rssMb: app.rssMb(), heapTotal, seconds };
  }
  return undefined;
}

/** Writes per second a job could reach with `concurrency` writes in flight at the upstream's own latency. */
export const writeCeiling = (upTrip: Row, concurrency: number) => concurrency / (med(upTrip, 'p50') / 2 / 1000);
