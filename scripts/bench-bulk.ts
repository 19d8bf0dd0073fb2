// The bulk row: 200 likes through the app against a sandbox with the REAL budget (300 per 5
// minutes per token) and the bench's latency, for a user who starts with no likes. Jobs take
// at most 100 things, so it is two jobs back to back, the way a user would send two pages.
// Checked against the sandbox's own counts: every thing liked (0 lost), exactly one POST per
// thing (0 duplicated), and no 429 answered (0 rate-limit errors).
import { performance } from 'node:perf_hooks';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { login, request } from './bench-http.js';
import type { AppProc, SandboxProc } from './bench-procs.js';

export interface BulkResult {
  seconds: number; liked: number; lost: number; duplicated: number; status429: number;
  failed: number; rateLimited: number; upstreamCalls: number;
}

const USER = 'dara_new'; // no likes and no things of her own in the seed

export async function benchBulk(sb: SandboxProc, app: AppProc, count = 200): Promise<BulkResult> {
  // The ids come with the App Token, which has its own budget, not the user's.
  const ids: number[] = [];
  for (let page = 1; ids.length < count; page++) {
    const res = await request(sb.port, 'GET', `/popular?page=${page}&per_page=100`, { headers: { authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } });
    ids.push(...(JSON.parse(res.body) as { id: number }[]).map((t) => t.id));
  }
  ids.length = count;
  const s = await login(app, sb.port, USER);
  await sb.resetStats();
  const headers = { host: app.host, cookie: s.cookie, accept: 'application/json' };
  let failed = 0;
  let rateLimited = 0;
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += 100) {
    const body = [`_csrf=${encodeURIComponent(s.csrf)}`, 'action=like', ...ids.slice(i, i + 100).map((id) => `ids=${id}`)].join('&');
    const started = await request(app.port, 'POST', '/bulk', { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body });
    if (started.status !== 202) throw new Error(`POST /bulk answered ${started.status}: ${started.body.slice(0, 200)}`);
    const url = (JSON.parse(started.body) as { url: string }).url;
    for (;;) {
      // The status page's script polls once a second; 100 ms here only sharpens the timing.
      await new Promise((r) => setTimeout(r, 100));
      const view = JSON.parse((await request(app.port, 'GET', url, { headers })).body) as { state: string; counts: { failed: number }; rateLimited: number };
      if (view.state === 'running') continue;
      failed += view.counts.failed;
      rateLimited += view.rateLimited;
      break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const stats = await sb.stats();
  const truth = new Set(JSON.parse((await request(sb.port, 'GET', `/__sandbox/users/${USER}/likesids`)).body) as number[]);
  const posts = ids.map((id) => stats.writes[`POST ${id}`] ?? 0);
  return {
    seconds,
    liked: ids.filter((id) => truth.has(id)).length,
    lost: ids.filter((id) => !truth.has(id)).length,
    duplicated: posts.filter((n) => n > 1).length,
    status429: stats.status429,
    failed,
    rateLimited,
    upstreamCalls: Object.values(stats.routes).reduce((a, b) => a + b, 0),
  };
}
