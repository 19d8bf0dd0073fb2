// Shutdown and restart of the real server process: SIGTERM stops accepting, lets a slow
// request in flight finish, closes the session store and exits 0; a restart on the same
// data folder keeps the session (SQLite); SIGINT does the same.
import { describe, it, expect, afterAll } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import supertest from 'supertest';
import { logInWithToken, sandboxToken } from './helpers/login.js';
import { freePort, startServer, type Child } from './helpers/child.js';
import { waitFor } from './helpers/wait.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-shutdown-'));
const children: Child[] = [];
afterAll(() => {
  for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => (socket.destroy(), resolve(false)));
  socket.once('error', () => resolve(true));
});

describe('the server process', () => {
  it('on SIGTERM finishes the request in flight, refuses new ones, exits 0; a restart keeps the session', async () => {
    const [port, sandboxPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), SANDBOX_PORT: String(sandboxPort), DATA_DIR: dataDir };
    const app = `http://localhost:${port}`;
    const sandbox = `http://127.0.0.1:${sandboxPort}`;
    const first = await startServer(env);
    children.push(first);

    const cookie = await logInWithToken(app, await sandboxToken(sandbox, 'ada_maker'));

    // A slow upstream: the liked page takes ~1.5 s; SIGTERM arrives while it is in flight.
    await supertest(sandbox).put('/__sandbox/latency').send({ ms: 1500 }).expect(200);
    const asked = async () => ((await supertest(sandbox).get('/__sandbox/requests')).body as unknown[]).length;
    const before = await asked();
    const started = Date.now();
    const inFlight = supertest(app).get('/liked').set('Cookie', cookie).then((r) => r);
    await waitFor('the liked page to reach the sandbox', async () => (await asked()) > before);
    first.proc.kill('SIGTERM');
    await waitFor('the listener to close', () => refused(port));
    const slow = await inFlight;
    expect(slow.status).toBe(200);
    expect(slow.text).toMatch(/Liked things/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.output()).toMatch(/"msg":"shutting down"/);
    expect(first.output()).toMatch(/"cut":0,"msg":"stopped"/);
    expect(first.output()).not.toMatch(/\n\s+at |Error:/);

    // Same data folder: the session is still there (a 404 page shows the user, no upstream call).
    const second = await startServer(env);
    children.push(second);
    const probe = await supertest(app).get('/__probe').set('Cookie', cookie).expect(404);
    expect(probe.text).toMatch(/Logged in as <strong>Ada/);
    second.proc.kill('SIGINT');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 40_000);
});
