// Resume after a real restart of the app process (issue 11): the app runs as `npm start` does,
// in its own OS process, against the sandbox program in another; SIGTERM arrives while a bulk
// job is writing (each like held 150 ms by a sandbox fault), and a new process on the same data
// folder resumes the job from SQLite and finishes it. The sandbox's own request log proves
// every thing was POSTed exactly once across both processes.
import { describe, it, expect, afterAll } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { freePort, startServer, startSandboxProgram, type Child } from './helpers/child.js';
import { logInWithToken, sandboxToken } from './helpers/login.js';
import { cardIds } from './helpers/liked-helpers.js';
import { csrfFrom } from './helpers/stack.js';
import { waitFor } from './helpers/wait.js';
import type { BulkJobView } from '../src/jobs/job-view.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-restart-process-'));
const children: Child[] = [];
afterAll(async () => {
  for (const c of children.reverse()) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGTERM');
    await c.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const LIKE = /^\/things\/(\d+)\/likes$/;

describe('SIGTERM to the app process during a bulk job, then a new process', () => {
  it('resumes the job from SQLite and finishes it, every thing POSTed exactly once', async () => {
    const port = await freePort();
    const app = `http://localhost:${port}`;
    const sandbox = await startSandboxProgram({ SANDBOX_REDIRECT_URI: `${app}/callback` });
    children.push(sandbox);
    const control = supertest(sandbox.url);
    const likePosts = async () => {
      const log = (await control.get('/__sandbox/requests').expect(200)).body as { method: string; url: string }[];
      return log.filter((r) => r.method === 'POST' && LIKE.test(r.url)).map((r) => Number(LIKE.exec(r.url)![1]));
    };
    const env = { ...sandbox.settings, PORT: String(port), SESSION_SECRET: '7c1e9a3f5b2d4068a9e8f7d6c5b4a3921fedcba0', DATA_DIR: dataDir };
    const first = await startServer(env);
    children.push(first);

    const cookie = await logInWithToken(app, await sandboxToken(sandbox.url, 'ada_maker'));
    const page = (await supertest(app).get('/?page=2').set('Cookie', cookie).expect(200)).text;
    const liked = new Set((await control.get('/__sandbox/users/ada_maker/likesids').expect(200)).body as number[]);
    const ids = cardIds(page).filter((id) => !liked.has(id));
    expect(ids.length).toBeGreaterThanOrEqual(16);
    await control.post('/__sandbox/faults').send({ kind: 'latency', ms: 150, route: 'POST /things/:id/likes' }).expect(201);

    const started = await supertest(app).post('/bulk').set('Cookie', cookie).type('form')
      .send(['_csrf=' + encodeURIComponent(csrfFrom(page)), 'action=like', 'returnTo=/', ...ids.map((id) => `ids=${id}`)].join('&'))
      .expect(303);
    const jobUrl = String(started.headers.location);
    expect(jobUrl).toMatch(/^\/bulk\/[0-9a-f]{32}$/);
    await waitFor('the job to be writing', async () => (await likePosts()).length >= 2);

    first.proc.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const before = await likePosts();
    // The stop came mid-job: some likes went out, not all.
    expect(before.length).toBeLessThan(ids.length);
    await control.delete('/__sandbox/faults').expect(204);

    const second = await startServer(env);
    children.push(second);
    // Same session (SQLite), same job page, and the job runs on to the end in the new process.
    const view = await waitFor('the resumed job to finish', async () => {
      const v = (await supertest(app).get(jobUrl).set('Cookie', cookie).set('Accept', 'application/json').expect(200)).body as BulkJobView;
      return v.state !== 'running' && v;
    }, 10_000);
    expect(view).toMatchObject({ state: 'finished', total: ids.length, counts: { failed: 0, pending: 0 } });
    expect(view.counts.done + view.counts.already).toBe(ids.length);

    const posts = await likePosts();
    expect(posts.length).toBeGreaterThan(before.length); // the second process sent the rest
    expect([...posts].sort()).toEqual([...ids].sort()); // each thing once, none twice
    const now = new Set((await control.get('/__sandbox/users/ada_maker/likesids').expect(200)).body as number[]);
    expect(ids.filter((id) => !now.has(id))).toEqual([]);
  }, 40_000);
});
