// The client keeps upstream connections alive: a page view must not pay a new TCP (and, on
// the real API, TLS) handshake per call. Counted on the server side, where it cannot lie.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createThingiverseClient } from '../src/thingiverse/client.js';

let server: http.Server;
let connections = 0;
let base = '';
const TOKEN = 'a'.repeat(32);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(req.method === 'GET' ? '[]' : '{"ok":"ok"}');
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('upstream keep-alive', () => {
  it('20 sequential calls (reads and writes) share one connection', async () => {
    const client = createThingiverseClient({ apiUrl: base, authUrl: base, clientId: 'x', retryLimit: 0 });
    const before = connections;
    for (let i = 0; i < 10; i++) {
      await client.popular(TOKEN, { page: 1 + i });
      await client.like(TOKEN, 1000 + i);
    }
    expect(connections - before).toBe(1);
  });

  it('concurrent calls open one connection each, then reuse them', async () => {
    const client = createThingiverseClient({ apiUrl: base, authUrl: base, clientId: 'x', retryLimit: 0 });
    const before = connections;
    await Promise.all([1, 2, 3, 4].map((page) => client.popular(TOKEN, { page })));
    const opened = connections - before;
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThanOrEqual(4);
    await Promise.all([1, 2, 3, 4].map((page) => client.popular(TOKEN, { page })));
    expect(connections - before).toBe(opened);
  });
});
