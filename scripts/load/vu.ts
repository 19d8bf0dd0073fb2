// One virtual user: logs in with its own token, then mixes page views, likes and unlikes.
// It records the like state the app CONFIRMED (200 JSON answers) per thing, and checks every
// page it is shown against that; answers marked `unconfirmed` make a thing unknown until the
// app confirms it again.
import { request, NetError, type Answer } from './http.js';
import { logInWithToken } from '../../test/helpers/login.js';

export interface VuCounters {
  races: number;
  bulkJobs: number;
  logoutsDuringJobs: number;
  confirmedAnswers: number;
  unconfirmedAnswers: number;
  definiteFailures: number;
  pageMismatches: number;
  lostSessions: number;
  netErrors: number;
}

export const counters: VuCounters = { races: 0, bulkJobs: 0, logoutsDuringJobs: 0, confirmedAnswers: 0, unconfirmedAnswers: 0, definiteFailures: 0, pageMismatches: 0, lostSessions: 0, netErrors: 0 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** Card id → shown as liked, from a page of thing cards. */
export function shownStates(html: string): Map<number, boolean> {
  const out = new Map<number, boolean>();
  const parts = html.split('<article class="card" id="thing-').slice(1);
  for (const part of parts) {
    const id = Number(/^(\d+)"/.exec(part)?.[1]);
    const button = /<button type="submit" class="(like|unlike)"/.exec(part);
    if (id && button) out.set(id, button[1] === 'unlike');
  }
  return out;
}

export class VirtualUser {
  cookie = '';
  csrf = '';
  readonly confirmed = new Map<number, boolean>();
  readonly unknown = new Set<number>();
  private readonly seen = new Set<number>();
  private reachable = true;
  private loggedOut = false;

  constructor(readonly name: string, private readonly token: string, private readonly base: string, private readonly inject: (route: string) => void) {}

  async login(): Promise<void> {
    try {
      this.cookie = await logInWithToken(this.base, this.token);
    } catch (err) {
      // fetch reports a refused connection (the app restarting) as a TypeError with a cause.
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      if (err instanceof TypeError && typeof code === 'string') throw new NetError(code);
      throw err;
    }
    await this.view(1);
  }

  /** A page of popular things: learn ids and the CSRF token, check shown states. */
  async view(page: number, final = false): Promise<Map<number, boolean>> {
    const res = await request(`${this.base}/?page=${page}`, { cookie: this.cookie });
    if (res.status !== 200) return new Map();
    if (!/Logged in as/.test(res.text)) throw new LostSession();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
    if (csrf) this.csrf = csrf;
    const shown = shownStates(res.text);
    for (const [id, liked] of shown) {
      this.seen.add(id);
      if (!final && !this.unknown.has(id) && this.confirmed.has(id) && this.confirmed.get(id) !== liked) counters.pageMismatches += 1;
    }
    return shown;
  }

  async write(like: boolean, id: number): Promise<void> {
    let res: Answer;
    try {
      res = await request(`${this.base}/things/${id}/${like ? 'like' : 'unlike'}`, { method: 'POST', cookie: this.cookie, json: true, form: { _csrf: this.csrf } });
    } catch (err) {
      // No answer at all: unless the connection was refused (nothing sent), the app may or
      // may not have passed the write on, so the thing's state is unknown to this user.
      if (!(err instanceof NetError && err.code === 'ECONNREFUSED')) this.unknown.add(id);
      throw err;
    }
    if (res.status === 401) throw new LostSession();
    let body: { liked?: boolean; unconfirmed?: boolean };
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      throw new Error(`like/unlike answered ${res.status} without JSON`);
    }
    if (res.status === 200 && typeof body.liked === 'boolean') {
      counters.confirmedAnswers += 1;
      this.confirmed.set(id, body.liked);
      this.unknown.delete(id);
    } else if (body.unconfirmed) {
      counters.unconfirmedAnswers += 1;
      this.unknown.add(id);
    } else {
      counters.definiteFailures += 1; // not done, and the app says so: the confirmed state stands
    }
  }

  /** Two tabs: Like and Unlike of one thing, both in flight at once. The app applies them in
   * order, so the answer that arrives last is the state Thingiverse ends with. */
  async race(id: number): Promise<void> {
    counters.races += 1;
    await Promise.all([this.write(true, id), this.write(false, id)]);
  }

  /** A bulk like of a few things; half the time the user logs out while it runs and logs in
   * again. The job's own report (visible after the new login) says what was confirmed. */
  async bulk(ids: number[]): Promise<void> {
    const form: [string, string][] = [['_csrf', this.csrf], ['action', 'like'], ...ids.map((id): [string, string] => ['ids', String(id)])];
    const res = await request(`${this.base}/bulk`, { method: 'POST', cookie: this.cookie, json: true, form });
    if (res.status === 401) throw new LostSession();
    if (res.status !== 202) return; // one already running, or refused: nothing started
    counters.bulkJobs += 1;
    for (const id of ids) this.unknown.add(id);
    const url = (JSON.parse(res.text) as { url: string }).url;
    if (Math.random() < 0.5) {
      counters.logoutsDuringJobs += 1;
      await request(`${this.base}/logout`, { method: 'POST', cookie: this.cookie, form: { _csrf: this.csrf } });
      // Logged out on purpose: if the app is down for the new login, the run loop logs in again
      // later; a later page without "Logged in as" is then not a lost session.
      this.loggedOut = true;
      await this.login();
      this.loggedOut = false;
    }
    for (let tries = 0; tries < 200; tries++) {
      // after=0: the job's item results (one page holds a job of this size).
      const poll = await request(`${this.base}${url}?after=0`, { cookie: this.cookie, json: true });
      if (poll.status !== 200) return; // the ids stay unknown
      const view = JSON.parse(poll.text) as { state: string; changes: { items: { id: number; status: string }[] } };
      if (view.state !== 'running') {
        for (const item of view.changes.items) {
          if (item.status === 'done' || item.status === 'already') {
            this.confirmed.set(item.id, true);
            this.unknown.delete(item.id);
          }
        }
        return;
      }
      await sleep(50);
    }
  }

  async step(faultRate: number): Promise<void> {
    const r = Math.random();
    if (r < 0.04 && this.seen.size > 0) return this.race(pick([...this.seen]));
    if (r < 0.06 && this.seen.size > 5) return this.bulk([...this.seen].sort(() => Math.random() - 0.5).slice(0, 5));
    const ids = [...this.seen];
    const likedIds = [...this.confirmed].filter(([, v]) => v).map(([k]) => k);
    const [route, run] =
      r < 0.35 ? ['GET /users/:name/likesids', () => this.view(1 + Math.floor(Math.random() * 3))]
      : r < 0.5 ? ['GET /users/:name/likes', () => request(`${this.base}/liked`, { cookie: this.cookie }).then((a) => { if (a.status === 401) throw new LostSession(); })]
      : r < 0.75 ? ['POST /things/:id/likes', () => this.write(true, pick(ids))]
      : ['DELETE /things/:id/likes', () => this.write(false, likedIds.length ? pick(likedIds) : pick(ids))];
    // Not while the app is down (restart): refused attempts would pile up faults for later.
    if (this.reachable && Math.random() < faultRate) this.inject(Math.random() < 0.2 ? 'GET /things/:id' : route);
    await run();
  }

  /** Runs steps until the deadline; survives a restart (refused connections) and re-logs in if a session is lost. */
  async run(until: number, faultRate: number): Promise<void> {
    while (Date.now() < until) {
      try {
        if (this.loggedOut) {
          await this.login();
          this.loggedOut = false;
        }
        await this.step(faultRate);
        this.reachable = true;
      } catch (err) {
        if (err instanceof LostSession) {
          counters.lostSessions += 1;
          console.error(`load: ${this.name} lost its session (logged out on purpose: ${this.loggedOut})`);
          await this.login().catch(() => sleep(100));
        } else if (err instanceof NetError) {
          counters.netErrors += 1;
          this.reachable = false;
          await sleep(200 + Math.random() * 100);
        } else throw err;
      }
    }
  }
}

export class LostSession extends Error {}
