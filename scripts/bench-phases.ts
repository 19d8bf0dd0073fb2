// The measured loads. Each is an "arm": a function of the seconds to run, so the same load
// serves as the warm-up (thrown away) and as each measured run. Rows are measured in pairs
// with what they are compared with (app and upstream, app and bare server, 10 and 10,000
// likes), alternating A B A B, so a noisy neighbour on the machine hits both sides alike.
import { performance } from 'node:perf_hooks';
import type autocannon from 'autocannon';
import { cannon, parallelLoad, rotate, type Measured, type Session } from './bench-http.js';
import type { AppProc, SandboxProc } from './bench-procs.js';

export interface Ctx {
  sb: SandboxProc;
  connections: number;
  /** Seconds per measured run. */
  duration: number;
  runs: number;
  /** Seconds of the unmeasured warm-up each arm gets once before its first run. */
  warmup: number;
}
export type Arm = (seconds: number) => Promise<Measured>;
type Req = autocannon.Request;

/**
 * Warms each arm up once (a fresh process serves its first seconds 30-40% slower: the JIT),
 * then runs them in turn, `runs` times: A B A B A B. Returns the measured runs per arm.
 */
export async function alternate(ctx: Ctx, arms: Arm[]): Promise<Measured[][]> {
  for (const arm of arms) if (ctx.warmup > 0) await arm(ctx.warmup);
  const out: Measured[][] = arms.map(() => []);
  for (let i = 0; i < ctx.runs; i++) {
    for (const [k, arm] of arms.entries()) out[k]!.push(await arm(ctx.duration));
  }
  return out;
}

const appTarget = (app: AppProc, s: Session, extra: Record<string, string> = {}) => ({
  url: `http://127.0.0.1:${app.port}`,
  headers: { host: app.host, cookie: s.cookie, ...extra },
});
const upTarget = (ctx: Ctx, token: string) => ({ url: ctx.sb.url, headers: { authorization: `Bearer ${token}` } });
const paths = (next: () => string): Req[] => [{ method: 'GET', setupRequest: (r: Req) => ({ ...r, path: next() }) }];

/** An autocannon run at the app, counted towards what the app has served (the memory row). */
async function atApp(app: AppProc, run: Promise<Measured>): Promise<Measured> {
  const m = await run;
  app.served += m.sent;
  return m;
}

/** GET of `next()` paths, `connections` at a time, for `seconds` (or `amount` requests in all). */
export function getLoad(ctx: Ctx, target: { url: string; headers: Record<string, string> }, next: () => string): Arm {
  return (seconds) => cannon({ ...target, connections: ctx.connections, duration: seconds, requests: paths(next) });
}

/** GET /popular on the sandbox, pages 1..50 in turn. */
export function upstreamPopular(ctx: Ctx, token: string): Arm {
  const page = rotate(50);
  return getLoad(ctx, upTarget(ctx, token), () => `/popular?page=${page()}&per_page=30`);
}

/** The arm, counting its pages and the GET /popular calls the sandbox answered meanwhile (warm-up included). */
export function countingPopular(ctx: Ctx, arm: Arm, counter: { calls: number; pages: number }): Arm {
  return async (seconds) => {
    const before = (await ctx.sb.stats()).routes['GET /popular'] ?? 0;
    const m = await arm(seconds);
    counter.calls += ((await ctx.sb.stats()).routes['GET /popular'] ?? 0) - before;
    counter.pages += m.sent;
    return m;
  };
}

/**
 * GET /?page=N through the app. Pages rotate over `pages`, so with caching off concurrent
 * requests never share a page (no single flight can hide a miss), and with it on, every page
 * was loaded before the run.
 */
export function appPopular(ctx: Ctx, app: AppProc, s: Session, pages: number): Arm {
  const page = rotate(pages);
  const load = getLoad(ctx, appTarget(app, s), () => `/?page=${page()}`);
  return (seconds) => atApp(app, load(seconds));
}

/** Warm views until the app has served `total` requests (the memory row). */
export async function topUp(ctx: Ctx, app: AppProc, s: Session, total: number): Promise<void> {
  if (app.served >= total) return;
  const page = rotate(5);
  await atApp(app, cannon({ ...appTarget(app, s), connections: ctx.connections, amount: total - app.served, requests: paths(() => `/?page=${page()}`) }));
}

/** Any GET path through the app as a logged-in user. */
export function appGet(ctx: Ctx, app: AppProc, s: Session, next: () => string): Arm {
  const load = getLoad(ctx, appTarget(app, s), next);
  return (seconds) => atApp(app, load(seconds));
}

/** Any GET path on the sandbox with a user's token. */
export function upstreamGet(ctx: Ctx, token: string, next: () => string): Arm {
  return getLoad(ctx, upTarget(ctx, token), next);
}

/** Several sandbox calls at once per view (the thing page reads detail and images in parallel). */
export function upstreamParallel(ctx: Ctx, token: string, next: () => string[]): Arm {
  return (seconds) => parallelLoad(ctx.sb.url, { authorization: `Bearer ${token}` }, ctx.connections, seconds, next);
}

/**
 * Two writes in a loop per connection, each connection on its own thing; `extra` gets the
 * round trip (start of the first to the end of the second). The first trip of each
 * connection includes its connect and is left out.
 */
function trips(target: { url: string; headers: Record<string, string> }, ctx: Ctx, ids: number[],
  first: (id: number) => Partial<Req>, second: (id: number) => Partial<Req>): Arm {
  return async (seconds) => {
    const times: number[] = [];
    let next = 0;
    const setupClient = (client: autocannon.Client) => {
      const id = ids[next++ % ids.length]!;
      let t0 = 0;
      let n = 0;
      client.setRequests([
        { setupRequest: (r: Req) => ((t0 = performance.now()), { ...r, ...first(id) }) },
        {
          setupRequest: (r: Req) => ({ ...r, ...second(id) }),
          onResponse: (status: number) => void (status < 300 && ++n > 1 && times.push(performance.now() - t0)),
        },
      ]);
    };
    const m = await cannon({ ...target, connections: ctx.connections, duration: seconds, setupClient });
    times.sort((a, b) => a - b);
    return { ...m, extra: times };
  };
}

export function upstreamLikes(ctx: Ctx, token: string, ids: number[]): Arm {
  return trips(upTarget(ctx, token), ctx, ids,
    (id) => ({ method: 'POST', path: `/things/${id}/likes` }),
    (id) => ({ method: 'DELETE', path: `/things/${id}/likes` }));
}

/**
 * The JSON path of the like buttons (what app.js sends); the no-JS path only adds a 303.
 * 'like-unlike' on things not liked; 'unlike-like' on liked ones (a user who likes everything).
 */
export function appLikes(ctx: Ctx, app: AppProc, s: Session, ids: number[], order: 'like-unlike' | 'unlike-like' = 'like-unlike'): Arm {
  const form = { method: 'POST' as const, body: `_csrf=${encodeURIComponent(s.csrf)}` };
  const like = (id: number) => ({ ...form, path: `/things/${id}/like` });
  const unlike = (id: number) => ({ ...form, path: `/things/${id}/unlike` });
  const load = trips(appTarget(app, s, { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }), ctx, ids,
    order === 'like-unlike' ? like : unlike, order === 'like-unlike' ? unlike : like);
  return (seconds) => atApp(app, load(seconds));
}
