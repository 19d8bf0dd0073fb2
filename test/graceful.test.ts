// closeGracefully: idle keep-alive connections end at keepAliveTimeout, a request in
// flight is allowed to finish, and one that never finishes is cut after the grace period.
import { describe, it, expect } from '@jest/globals';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { closeGracefully, trackInFlight } from '../src/graceful.js';

async function serverWith(handler: http.RequestListener) {
  const server = http.createServer(handler);
  // An idle keep-alive connection ends at keepAliveTimeout during a shutdown too (5 s by
  // default); short here so the test is quick.
  server.keepAliveTimeout = 2000;
  trackInFlight(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const get = (url: string, agent: http.Agent) =>
  new Promise<{ status?: number; error?: string; close?: true }>((resolve) => {
    http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ...(res.headers.connection === 'close' ? { close: true as const } : {}) }));
    }).on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
  });

describe('closeGracefully', () => {
  it('lets a slow request finish, answers a late request on an open connection, and tells both clients to close', async () => {
    const { server, url } = await serverWith((req, res) => {
      setTimeout(() => res.end('done'), req.url === '/slow' ? 300 : 0);
    });
    const agent = new http.Agent({ keepAlive: true });
    expect(await get(`${url}/fast`, agent)).toEqual({ status: 200 }); // leaves an idle keep-alive socket
    const arrived = once(server, 'request');
    const slow = get(`${url}/slow`, new http.Agent({ keepAlive: true }));
    await arrived;
    const t0 = Date.now();
    const closing = closeGracefully(server, 5000);
    // The listener is closed, but a new request on a connection that was already open is
    // answered, and told to close it.
    expect(await get(`${url}/fast`, agent)).toEqual({ status: 200, close: true });
    expect(await closing).toEqual({ cut: 0 });
    expect(await slow).toEqual({ status: 200, close: true });
    expect(Date.now() - t0).toBeLessThan(2000);
    agent.destroy();
  });

  it('a busy keep-alive client cannot hold it open: later answers say Connection: close', async () => {
    const handled = { started: 0, finished: 0 };
    let closing: { t0: number; done: Promise<{ cut: number }> } | undefined;
    const { server, url } = await serverWith((_req, res) => {
      handled.started += 1;
      // Start the shutdown while requests are in flight on every connection.
      if (handled.started === 10) closing = { t0: Date.now(), done: closeGracefully(server, 5000) };
      setTimeout(() => res.end('ok', () => (handled.finished += 1)), 30);
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    let stop = false;
    const results: { status?: number; error?: string; close?: true }[] = [];
    // Bounded, so a failing close cannot leave the clients spinning after the test.
    const until = Date.now() + 3000;
    const client = async () => {
      while (!stop && Date.now() < until) results.push(await get(url, agent));
    };
    const clients = [client(), client(), client(), client()];
    while (!closing) await new Promise((r) => setTimeout(r, 10));
    const { cut } = await closing.done;
    const took = Date.now() - closing.t0;
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    expect(cut).toBe(0);
    expect(took).toBeLessThan(1000);
    // Nothing the server started was cut: every handled request got its whole answer. (A
    // client can still see ECONNRESET for a request sent on a socket just as it was closed
    // idle; the server never read that one, and no server can prevent that keep-alive race.)
    expect(handled.finished).toBe(handled.started);
    expect(results.filter((r) => r.status === 200)).toHaveLength(handled.finished);
    expect(results.filter((r) => r.error !== undefined && !['ECONNREFUSED', 'ECONNRESET'].includes(r.error))).toEqual([]);
    // The clients were told: answers to requests that came in during the close say Connection: close.
    expect(results.some((r) => r.close)).toBe(true);
  });

  it('cuts a request that never finishes once the grace period is over', async () => {
    const { server, url } = await serverWith(() => undefined);
    const arrived = once(server, 'request');
    const stuck = get(url, new http.Agent());
    await arrived;
    const t0 = Date.now();
    expect(await closeGracefully(server, 200)).toEqual({ cut: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await stuck).error).toBe('ECONNRESET');
  });
});
