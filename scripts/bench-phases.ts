// The measured rows: each app row next to the same work sent straight to the sandbox, with
// the same connections and duration, so every ratio compares figures from one run.
import { performance } from 'node:perf_hooks';
import type autocannon from 'autocannon';
import { cannon, rotate, WARMUP_SECONDS, type Measured, type Session } from './bench-http.js';
import type { AppProc, SandboxProc } from './bench-procs.js';

export interface Ctx { sb: SandboxProc; connections: number; duration: number }
type Req = autocannon.Request;

const appTarget = (app: AppProc, s: Session, extra: Record<string, string> = {}) => ({
  url: `http://127.0.0.1:${app.port}`,
  headers: { host: app.host, cookie: s.cookie, ...extra },
});
const upTarget = (ctx: Ctx, token: string) => ({ url: ctx.sb.url, headers: { authorization: `Bearer ${token}` } });
const paths = (next: () => string): Req[] => [{ method: 'GET', setupRequest: (r: Req) => ({ ...r, path: next() }) }];

/** GET /popular on the sandbox, pages 1..50 in turn. */
export function upstreamPopular(ctx: Ctx, token: string): Promise<Measured> {
  const page = rotate(50);
  return cannon({ ...upTarget(ctx, token), connections: ctx.connections, duration: ctx.duration, requests: paths(() => `/popular?page=${page()}&per_page=30`) });
}

/**
 * GET /?page=N through the app; also counts the sandbox's /popular calls meanwhile. Pages
 * rotate over `pages`, so with caching off concurrent requests never share a page (no single
 * flight can hide a miss) and with it on, every page was loaded before the run.
 */
export async function appPopular(ctx: Ctx, app: AppProc, s: Session, pages: number, opts: { duration?: number; amount?: number } = {}) {
  const page = rotate(pages);
  const before = (await ctx.sb.stats()).routes['GET /popular'] ?? 0;
  const m = await cannon({
    ...appTarget(app, s), connections: ctx.connections, requests: paths(() => `/?page=${page()}`),
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? ctx.duration }),
  });
  const upstream = ((await ctx.sb.stats()).routes['GET /popular'] ?? 0) - before;
  return { ...m, upstreamPopular: upstream };
}

/**
 * Like then unlike, in a loop per connection, each connection on its own thing; `extra` gets
 * the round trip (start of the like to the end of the unlike). The first trip of each
 * connection includes its connect and is left out.
 */
function likeTrips(target: { url: string; headers: Record<string, string> }, ctx: Ctx, ids: number[],
  like: (id: number) => Partial<Req>, unlike: (id: number) => Partial<Req>): Promise<Measured> {
  const setup = (trips: number[], counter: () => number) => (client: autocannon.Client) => {
    const id = ids[counter() % ids.length]!;
    let t0 = 0;
    let n = 0;
    client.setRequests([
      { setupRequest: (r: Req) => ((t0 = performance.now()), { ...r, ...like(id) }) },
      {
        setupRequest: (r: Req) => ({ ...r, ...unlike(id) }),
        onResponse: (status: number) => void (status < 300 && ++n > 1 && trips.push(performance.now() - t0)),
      },
    ]);
  };
  const run = (trips: number[], duration: number) => {
    let next = 0;
    return cannon({ ...target, connections: ctx.connections, duration, setupClient: setup(trips, () => next++) }, 0);
  };
  // The same warm-up as every other row, its trips thrown away.
  return run([], WARMUP_SECONDS).then(async (warm) => {
    const trips: number[] = [];
    const m = await run(trips, ctx.duration);
    trips.sort((a, b) => a - b);
    return { ...m, sent: m.sent + warm.sent, extra: trips };
  });
}

export function upstreamLikes(ctx: Ctx, token: string, ids: number[]): Promise<Measured> {
  return likeTrips(upTarget(ctx, token), ctx, ids,
    (id) => ({ method: 'POST', path: `/things/${id}/likes` }),
    (id) => ({ method: 'DELETE', path: `/things/${id}/likes` }));
}

/** The JSON path of the like buttons (what app.js sends); the no-JS path only adds a 303. */
export function appLikes(ctx: Ctx, app: AppProc, s: Session, ids: number[]): Promise<Measured> {
  const form = { method: 'POST' as const, body: `_csrf=${encodeURIComponent(s.csrf)}` };
  return likeTrips(appTarget(app, s, { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }), ctx, ids,
    (id) => ({ ...form, path: `/things/${id}/like` }),
    (id) => ({ ...form, path: `/things/${id}/unlike` }));
}

/** A user's liked things, pages 1..pages in turn: upstream, then through the app. */
export function upstreamLiked(ctx: Ctx, token: string, user: string, pages: number): Promise<Measured> {
  const page = rotate(pages);
  return cannon({ ...upTarget(ctx, token), connections: ctx.connections, duration: ctx.duration, requests: paths(() => `/users/${user}/likes?page=${page()}&per_page=30`) });
}

export function appLiked(ctx: Ctx, app: AppProc, s: Session, pages: number): Promise<Measured> {
  const page = rotate(pages);
  return cannon({ ...appTarget(app, s), connections: ctx.connections, duration: ctx.duration, requests: paths(() => `/liked?page=${page()}`) });
}
