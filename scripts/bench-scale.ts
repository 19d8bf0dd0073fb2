// Scale with likes (issue 13): the same work for a user with 10 likes and for heavy_liker
// with 10,000, side by side (A B A B), on one app. For the comparison to be about the like
// history and not about what is drawn, the liked page shows the same cards to both: its
// search matches about 10 of heavy_liker's "archived" things (src/sandbox/heavy-user.ts, any
// user may like them), which the light user likes too; heavy_liker likes every seed thing,
// whose names have no digits, so nothing else matches for either.
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { HEAVY_USER_NAME, makeHeavyUser } from '../src/sandbox/heavy-user.js';
import { getSeed } from '../src/sandbox/seed.js';
import { login, request, sandboxToken, type Session } from './bench-http.js';
import type { AppProc, SandboxProc } from './bench-procs.js';
import { alternate, appGet, appLikes, appPopular, type Arm, type Ctx } from './bench-phases.js';
import { row, verdict, vsLight, type Row } from './bench-report.js';

const LIGHT_LIKES = 10;

/**
 * "design NNN": the three digits that the fewest-but-nearest-to-10 archived names contain
 * (e.g. 840: 840, 1840 … 7840, 8400), and those things, for heavy_liker with `heavyLikes`.
 */
export function pickQuery(heavyLikes: number): { q: string; ids: number[] } {
  const archived = makeHeavyUser(heavyLikes, getSeed()).things;
  let best: { q: string; ids: number[] } | undefined;
  for (let n = 100; n <= 999; n++) {
    const ids = archived.filter((t) => t.name.includes(String(n))).map((t) => t.id);
    if (ids.length > 0 && ids.length <= LIGHT_LIKES && (!best || ids.length > best.ids.length)) best = { q: `design ${n}`, ids };
  }
  if (!best || best.ids.length < LIGHT_LIKES - 3) throw new Error(`no three digits name about ${LIGHT_LIKES} archived things of ${heavyLikes} likes`);
  return best;
}

export interface ScaleUsers { light: { name: string; s: Session }; heavy: { name: string; s: Session }; q: string; ids: number[] }

/**
 * The light user (a fresh load user) likes the query's things, topped up to 10 likes with
 * popular ones, straight at the sandbox; both log in and fill their liked index.
 */
export async function scaleUsers(sb: SandboxProc, app: AppProc, lightName: string, heavyLikes: number): Promise<ScaleUsers> {
  const { q, ids: matching } = pickQuery(heavyLikes);
  const popular = JSON.parse((await request(sb.port, 'GET', '/popular?page=3&per_page=30', { headers: { authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } })).body) as { id: number }[];
  const ids = [...matching, ...popular.map((t) => t.id)].slice(0, LIGHT_LIKES);
  const token = await sandboxToken(sb.port, lightName);
  for (const id of ids) {
    const res = await request(sb.port, 'POST', `/things/${id}/likes`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`seeding ${lightName}'s likes: POST /things/${id}/likes answered ${res.status}`);
  }
  const users = { light: { name: lightName, s: await login(app, sb.port, lightName) }, heavy: { name: HEAVY_USER_NAME, s: await login(app, sb.port, HEAVY_USER_NAME) }, q, ids };
  for (const u of [users.light, users.heavy]) {
    const headers = { host: app.host, cookie: u.s.cookie };
    // The export waits for a complete liked index: after it, the liked page reads a full one.
    const full = await request(app.port, 'GET', '/liked/export?format=csv', { headers });
    if (full.status !== 200) throw new Error(`filling ${u.name}'s liked index: ${full.status}`);
    for (let p = 1; p <= 5; p++) await request(app.port, 'GET', `/?page=${p}`, { headers });
  }
  return users;
}

const cards = (html: string) => html.split('<article class="card"').length - 1;

export async function scaleRows(ctx: Ctx, app: AppProc, u: ScaleUsers): Promise<Row[]> {
  const likes = `${u.ids.length} likes`;
  const q = encodeURIComponent(u.q);
  const pair = async (kind: string, arm: (s: Session) => Arm, times: 'single' | 'trip' = 'single') => {
    const [light, heavy] = await alternate(ctx, [arm(u.light.s), arm(u.heavy.s)]);
    const l = row(`${kind}, ${likes}`, light!, app.peakRssMb(), times);
    return [l, vsLight(row(`${kind}, 10,000 likes`, heavy!, app.peakRssMb(), times), l, 1.2)];
  };
  const liked = `/liked?q=${q}&sort=name`;
  const shown = await Promise.all([u.light, u.heavy].map(async (x) => cards((await request(app.port, 'GET', liked, { headers: { host: app.host, cookie: x.s.cookie } })).body)));
  const [likedLight, likedHeavy] = await pair(`liked page q=${u.q}, sort=name`, (s) => appGet(ctx, app, s, () => liked));
  const popular = await pair('popular page, warm', (s) => appPopular(ctx, app, s, 5));
  const trips = await pair('unlike + like (round trip)', (s) => appLikes(ctx, app, s, u.ids, 'unlike-like'), 'trip');
  await relike(app, u);
  return [
    ...popular,
    verdict(likedLight!, `${shown[0]} cards`),
    verdict(likedHeavy!, `${shown[1]} cards`, undefined, shown[0] === shown[1] ? undefined : false),
    ...trips,
  ];
}

/**
 * A run stops between an unlike and its like: like those things again, through the app so
 * its own state agrees, before the export and CLI rows count 10,000 likes.
 */
async function relike(app: AppProc, u: ScaleUsers): Promise<void> {
  for (const x of [u.light, u.heavy]) {
    for (const id of u.ids) {
      const res = await request(app.port, 'POST', `/things/${id}/like`, {
        headers: { host: app.host, cookie: x.s.cookie, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${encodeURIComponent(x.s.csrf)}`,
      });
      if (res.status !== 200) throw new Error(`liking thing ${id} again for ${x.name}: ${res.status}`);
    }
  }
}
