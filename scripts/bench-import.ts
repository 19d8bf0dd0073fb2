// Drives the app's import path the way the import form does (POST /liked/import with the file
// as text, the preview's POST /liked/import/confirm, then the job's status page as JSON until
// it is done) and checks the outcome with the sandbox's own counts: every thing liked (0 lost),
// one POST per thing (0 duplicated), no 429 answered.
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { request, type Session } from './bench-http.js';
import type { AppProc, SandboxProc, SandboxStats } from './bench-procs.js';

export interface Outcome { liked: number; lost: number; duplicated: number; status429: number; failed: number }

export interface ImportRun extends Outcome {
  count: number;
  /** From the first POST to the job's own finishedAt. */
  seconds: number;
  /** The budget the job reported while running (its reserve for page views taken off). */
  budget: { perWindow: number; windowSeconds: number } | null;
  /** The sandbox's counts for the run (likedAt: when each like was answered). */
  stats: SandboxStats;
}

interface JobView { state: string; counts: { failed: number }; finishedAt: number | null; budget: { perWindow: number; windowSeconds: number } | null }

/** Thing ids from the popular list, read with the App Token (its own budget, not a user's). */
export async function popularIds(sb: SandboxProc, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; ids.length < count; page++) {
    const res = await request(sb.port, 'GET', `/popular?page=${page}&per_page=100`, { headers: { authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } });
    const items = JSON.parse(res.body) as { id: number }[];
    if (items.length === 0) throw new Error(`only ${ids.length} popular things, ${count} wanted`);
    ids.push(...items.map((t) => t.id));
  }
  return ids.slice(0, count);
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Waits for a bulk job to end, polling its JSON view (the status page's script polls once a second). */
export async function waitForJob(app: AppProc, s: Session, url: string, onView?: (v: JobView) => void): Promise<JobView> {
  const headers = { host: app.host, cookie: s.cookie, accept: 'application/json' };
  for (;;) {
    const res = await request(app.port, 'GET', url, { headers });
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    const view = JSON.parse(res.body) as JobView;
    onView?.(view);
    if (view.state !== 'running') return view;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The sandbox's truth for `ids` after a run: liked, lost, liked twice, 429s. */
export async function outcome(sb: SandboxProc, user: string, ids: readonly number[], stats: SandboxStats, failed: number): Promise<Outcome> {
  const truth = new Set(JSON.parse((await request(sb.port, 'GET', `/__sandbox/users/${user}/likesids`)).body) as number[]);
  return {
    liked: ids.filter((id) => truth.has(id)).length,
    lost: ids.filter((id) => !truth.has(id)).length,
    duplicated: ids.filter((id) => (stats.writes[`POST ${id}`] ?? 0) > 1).length,
    status429: stats.status429,
    failed,
  };
}

/** Imports `ids` (a plain list, one a line) for a user who likes none of them. */
export async function importIds(sb: SandboxProc, app: AppProc, s: Session, user: string, ids: readonly number[]): Promise<ImportRun> {
  const headers = { host: app.host, cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' };
  await sb.resetStats();
  const t0 = Date.now();
  const preview = await request(app.port, 'POST', '/liked/import', { headers, body: form({ _csrf: s.csrf, file: ids.join('\n') }) });
  const importId = /name="import" value="([^"]+)"/.exec(preview.body)?.[1];
  if (preview.status !== 200 || !importId) throw new Error(`POST /liked/import answered ${preview.status} without a preview`);
  const confirm = await request(app.port, 'POST', '/liked/import/confirm', { headers, body: form({ _csrf: s.csrf, import: importId }) });
  const url = confirm.headers.location;
  if (confirm.status !== 303 || !url?.startsWith('/bulk/')) throw new Error(`POST /liked/import/confirm answered ${confirm.status} to ${url}`);
  let budget: ImportRun['budget'] = null;
  const done = await waitForJob(app, s, url, (v) => void (budget ??= v.budget));
  const seconds = ((done.finishedAt ?? Date.now()) - t0) / 1000;
  const stats = await sb.stats();
  return { count: ids.length, seconds, budget, stats, ...(await outcome(sb, user, ids, stats, done.counts.failed)) };
}
