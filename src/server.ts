// The only file that listens: startServer builds the services, mounts the app on one
// http.Server and gives back an orderly stop: stop accepting, let requests in flight finish
// (bounded by graceMs), pause bulk jobs and wait for their writes, then close the database.
// main.ts (npm start), the tests, the bench and the load script all start the app here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createApp } from './app.js';
import { createServices, type ServiceOverrides, type Services } from './services.js';
import { closeGracefully, trackInFlight } from './graceful.js';

export interface Serving {
  server: http.Server;
  services: Services;
  /** Resolves once the server is closed, jobs are paused and the database is shut; safe to exit then.
   * `cut`: requests still unanswered when the grace period ran out (0 in a clean stop). */
  stop(reason: string): Promise<{ cut: number }>;
}

export const SHUTDOWN_GRACE_MS = 10_000;

export interface StartOptions {
  logger: Logger;
  overrides?: ServiceOverrides;
  graceMs?: number;
  /** A server already listening (a test that needed the port before the config existed). */
  listening?: http.Server;
}

export async function startServer(config: Config, opts: StartOptions): Promise<Serving> {
  const { logger } = opts;
  const graceMs = opts.graceMs ?? SHUTDOWN_GRACE_MS;
  const services = createServices(config, logger, opts.overrides);
  const app = createApp(config, services);

  const server = opts.listening ?? http.createServer();
  trackInFlight(server);
  server.on('request', app);
  if (!opts.listening) await listen(server, config.port, config.host);

  let stopping: Promise<{ cut: number }> | undefined;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const [{ cut }] = await Promise.all([closeGracefully(server, graceMs), services.jobs.pauseAll(graceMs)]);
      // Only now: a request still in flight may write its session on the way out.
      await services.close(0);
      if (cut > 0) logger.warn({ reason, cut }, 'stopped; requests cut at the grace limit');
      else logger.info({ reason, cut }, 'stopped');
      return { cut };
    })());
  return { server, services, stop };
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
