// Shared by the bulk test files: a logged-in user who can read pages, start a bulk job and
// wait for it, over real HTTP against the app and the sandbox.
import supertest from 'supertest';
import { csrfFrom, type Stack } from './stack.js';
import type { BulkJobView } from '../../src/jobs/job-view.js';
import type { BulkItem } from '../../src/jobs/bulk-job.js';

export interface BulkUser {
  cookie: string;
  csrf: string;
  get(path: string, json?: boolean): supertest.Test;
  post(path: string, body: string, json?: boolean): supertest.Test;
  /** POST /bulk as the form would send it; returns the response. */
  start(action: string, ids: (number | string)[], extra?: string): supertest.Test;
  /** Polls the job's JSON until it is no longer running. */
  waitDone(url: string, timeoutMs?: number): Promise<BulkJobView>;
  /** Every item's result so far, read page by page through the poll's cursor (?after=). */
  results(url: string): Promise<BulkItem[]>;
}

export async function bulkUser(stack: Stack, name: string): Promise<BulkUser> {
  const cookie = await stack.loginCookie(name);
  const get = (path: string, json = false) => {
    const t = supertest(stack.url).get(path).set('Cookie', cookie);
    return json ? t.set('Accept', 'application/json') : t;
  };
  const csrf = csrfFrom((await get('/liked')).text);
  const post = (path: string, body: string, json = false) => {
    const t = supertest(stack.url).post(path).set('Cookie', cookie).type('form');
    return (json ? t.set('Accept', 'application/json') : t).send(body);
  };
  const user: BulkUser = {
    cookie, csrf, get, post,
    start: (action, ids, extra = '') =>
      post('/bulk', [`_csrf=${encodeURIComponent(csrf)}`, `action=${action}`, ...ids.map((id) => `ids=${id}`), extra].filter(Boolean).join('&')),
    async waitDone(url, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = await get(url, true).expect(200);
        const view = res.body as BulkJobView;
        if (view.state !== 'running') return view;
        if (Date.now() > until) throw new Error(`job still running: ${view.summary}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async results(url) {
      const all: BulkItem[] = [];
      for (let after = 0, more = true; more;) {
        const { changes } = (await get(`${url}?after=${after}`, true).expect(200)).body as Required<BulkJobView>;
        all.push(...changes.items);
        ({ cursor: after, more } = changes);
      }
      return all;
    },
  };
  return user;
}

/** Thing ids on a popular page (as the app renders it) that the user has not liked, per the sandbox. */
export async function unlikedOnPopular(stack: Stack, user: BulkUser, username: string, page: number): Promise<number[]> {
  const html = (await user.get(`/?page=${page}`).expect(200)).text;
  const liked = new Set(stack.sandbox.likedIds(username));
  return [...html.matchAll(/<article class="card" id="thing-(\d+)">/g)].map((m) => Number(m[1])).filter((id) => !liked.has(id));
}

/** Upstream like writes per thing id since a mark in the sandbox's request log. */
export function writesSince(stack: Stack, mark: number, method = 'POST'): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of stack.sandbox.requests().slice(mark)) {
    const m = /^\/things\/(\d+)\/likes$/.exec(r.url);
    if (m && r.method === method) out.set(Number(m[1]), (out.get(Number(m[1])) ?? 0) + 1);
  }
  return out;
}
