// Sandbox contract (issue 8, low): /__sandbox refuses what a web page could send it, a cross-site
// request (foreign Origin or Sec-Fetch-Site) and a DNS-rebinding Host, with a clear 403, while the
// app-facing OAuth and API routes answer as before. Real HTTP with node:http, so every header is ours.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { createSandbox, listen, type Listening } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const sb = createSandbox();
let server: Listening;

function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const json = { 'Content-Type': 'application/json' };
const mint = (headers: Record<string, string>) => send('POST', '/__sandbox/tokens', { ...json, ...headers }, JSON.stringify({ username: 'ada_maker' }));

beforeAll(async () => {
  server = await listen(sb);
});
afterAll(() => server.close());
beforeEach(() => sb.reset());

describe('control API: who may call it', () => {
  it('accepts scripts (no Origin) and the sandbox itself under 127.0.0.1, localhost and its own origin', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`]) {
      expect([host, (await mint({ Host: host })).status]).toEqual([host, 201]);
    }
    expect((await mint({ Origin: server.url, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(201);
    expect((await send('POST', '/__sandbox/reset', { 'Sec-Fetch-Site': 'none' })).status).toBe(204);
  });

  it('refuses a foreign Origin with 403 and does nothing', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:3000', 'null', `http://127.0.0.1:${server.port + 1}`]) {
      const res = await send('POST', '/__sandbox/latency', { ...json, Origin: origin }, JSON.stringify({ ms: 5000 }));
      expect([origin, res.status]).toEqual([origin, 403]);
      expect(JSON.parse(res.body)).toEqual({ error: 'Forbidden: cross-site requests to the control API are refused' });
    }
    expect((await mint({ Origin: 'https://evil.example' })).status).toBe(403);
    // The latency was never set: an API call answers at once.
    const started = Date.now();
    expect((await send('GET', '/popular?per_page=1', { Authorization: `Bearer ${SANDBOX_CLIENT.appToken}` })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a cross-site browser request that carries no Origin (Sec-Fetch-Site)', async () => {
    for (const site of ['cross-site', 'same-site']) {
      expect([site, (await send('POST', '/__sandbox/reset', { 'Sec-Fetch-Site': site })).status]).toEqual([site, 403]);
    }
  });

  it('refuses a Host that is not this sandbox (DNS rebinding), naming the address to use', async () => {
    for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`]) {
      const res = await mint({ Host: host });
      expect([host, res.status]).toEqual([host, 403]);
      expect(JSON.parse(res.body).error).toMatch(new RegExp(`is not this sandbox; use its own address \\(e\\.g\\. 127\\.0\\.0\\.1:${server.port}\\)`));
    }
    expect((await send('GET', '/__sandbox/requests', { Host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('leaves the app-facing routes alone: any Host and Origin still reach OAuth and the API', async () => {
    const token = sb.issueToken('ada_maker');
    const foreign = { Host: `sandbox.test:${server.port}`, Origin: 'http://localhost:3000', 'Sec-Fetch-Site': 'cross-site' };
    expect((await send('GET', '/popular?per_page=1', { ...foreign, Authorization: `Bearer ${token}` })).status).toBe(200);
    const info = await send('POST', '/login/oauth/tokeninfo', { ...foreign, 'Content-Type': 'application/x-www-form-urlencoded' }, `access_token=${token}`);
    expect(info.status).toBe(200);
    const consent = await send('GET', `/login/oauth/authorize?client_id=${SANDBOX_CLIENT.clientId}&response_type=token`, foreign);
    expect(consent.status).toBe(200);
  });
});
