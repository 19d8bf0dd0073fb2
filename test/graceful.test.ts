// closeGracefully: idle keep-alive connections do not hold shutdown open, a request in
// flight is allowed to finish, and one that never finishes is cut after the grace period.
import { describe, it, expect } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeGracefully } from '../src/http/graceful.js';

async function serverWith(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const get = (url: string, agent: http.Agent) =>
  new Promise<{ status?: number; error?: string }>((resolve) => {
    http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    }).on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
  });

describe('closeGracefully', () => {
  it('lets a slow request finish and does not wait for idle keep-alive sockets', async () => {
    const { server, url } = await serverWith((req, res) => {
      setTimeout(() => res.end('done'), req.url === '/slow' ? 300 : 0);
    });
    const agent = new http.Agent({ keepAlive: true });
    expect(await get(`${url}/fast`, agent)).toEqual({ status: 200 }); // leaves an idle keep-alive socket
    const slow = get(`${url}/slow`, new http.Agent({ keepAlive: true }));
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await closeGracefully(server, 5000);
    expect(await slow).toEqual({ status: 200 });
    expect(Date.now() - t0).toBeLessThan(2000);
    agent.destroy();
  });

  it('cuts a request that never finishes once the grace period is over', async () => {
    const { server, url } = await serverWith(() => undefined);
    const stuck = get(url, new http.Agent());
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await closeGracefully(server, 200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await stuck).error).toBe('ECONNRESET');
  });
});
