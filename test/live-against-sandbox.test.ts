// Live mode is the same code as sandbox mode with other URLs (issue 9): the app, started as
// `npm start` would with a client id, talks to a sandbox started by hand (`npm run sandbox`)
// through THINGIVERSE_API_URL / THINGIVERSE_SITE_URL and the four lines the sandbox printed.
// Two processes besides jest, real HTTP between them, the code flow end to end.
import { describe, it, expect, afterAll } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { freePort, startServer, startSandboxProgram, type Child } from './helpers/child.js';
import { consent } from './helpers/stack.js';

const children: Child[] = [];
afterAll(async () => {
  for (const c of children) {
    c.proc.kill('SIGTERM');
    await c.exited;
  }
});

describe('live mode against `npm run sandbox`', () => {
  it('logs in with the code flow and likes a thing, configured only by the printed settings', async () => {
    const port = await freePort();
    const app = `http://localhost:${port}`;
    const sandbox = await startSandboxProgram({ SANDBOX_REDIRECT_URI: `${app}/callback` });
    children.push(sandbox);
    expect(Object.keys(sandbox.settings).sort())
      .toEqual(['THINGIVERSE_API_URL', 'THINGIVERSE_CLIENT_ID', 'THINGIVERSE_CLIENT_SECRET', 'THINGIVERSE_SITE_URL']);

    const server = await startServer({
      ...sandbox.settings,
      PORT: String(port),
      SESSION_SECRET: '5d2f8a1c9e7b4036a1f2e3d4c5b6a7980fedcba9',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-live-')),
    });
    children.unshift(server);
    expect(server.output()).toMatch(/thingiverse-likes is ready/);
    expect(server.output()).not.toMatch(/sandbox mode/);

    const agent = supertest.agent(app);
    const start = await agent.get('/login').expect(302);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin).toBe(sandbox.url);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    const back = new URL(await consent(authorize.toString(), 'ada_maker'));
    expect(back.origin).toBe(app);
    await agent.get(back.pathname + back.search).expect(303);
    const page = await agent.get('/').expect(200);
    expect(page.text).toMatch(/Logged in as/);

    const id = Number(/id="thing-(\d+)"/.exec(page.text)![1]);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const like = await agent.post(`/things/${id}/like`).set('Accept', 'application/json').type('form').send({ _csrf: csrf });
    expect(like.status).toBe(200);
    expect(like.body).toMatchObject({ id, liked: true });
  });
});
