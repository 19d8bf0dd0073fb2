// The app's process wiring, shared by server.ts and the load script's app process: the SQLite
// store, the Thingiverse client, the app on one http.Server, and an orderly stop: stop
// accepting, let requests in flight finish (bounded by graceMs), then close the store.
import http from 'node:http';
import path from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createApp } from './app.js';
import { openDb } from './store/db.js';
import { SqliteSessionStore } from './store/session-store.js';
import { LikeState } from './store/like-state.js';
import { createThingiverseClient } from './thingiverse/client.js';
import { loadOrCreateSessionSecret } from './store/secret-file.js';
import { closeGracefully, trackInFlight } from './http/graceful.js';

export interface Serving {
  server: http.Server;
  /** Resolves once the server is closed and the session store is shut; safe to exit then.
   * `cut`: requests still unanswered when the grace period ran out (0 in a clean stop). */
  stop(reason: string): Promise<{ cut: number }>;
}

export const SHUTDOWN_GRACE_MS = 10_000;

export async function serve(config: Config, logger: Logger, graceMs = SHUTDOWN_GRACE_MS): Promise<Serving> {
  const secrets = config.sessionSecrets.length > 0 ? config.sessionSecrets : [loadOrCreateSessionSecret(config.dataDir)];
  const db = openDb(path.join(config.dataDir, 'app.db'));
  const sessionStore = new SqliteSessionStore(db, { defaultTtlMs: config.sessionIdleMs });
  const client = createThingiverseClient({ ...config.thingiverse, timeoutMs: config.upstreamTimeoutMs });
  const app = createApp(config, { client, sessionStore, likeState: new LikeState(db), logger, sessionSecrets: secrets });

  const server = http.createServer(app);
  trackInFlight(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  let stopping: Promise<{ cut: number }> | undefined;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const { cut } = await closeGracefully(server, graceMs);
      // Only now: a request still in flight may write its session on the way out.
      sessionStore.close();
      db.close();
      if (cut > 0) logger.warn({ reason, cut }, 'stopped; requests cut at the grace limit');
      else logger.info({ reason, cut }, 'stopped');
      return { cut };
    })());
  return { server, stop };
}
