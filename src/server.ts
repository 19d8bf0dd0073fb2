// The only file that listens. loadConfig → (in sandbox mode, the sandbox) → createApp →
// listen; on SIGTERM/SIGINT stop accepting, let in-flight requests finish (bounded), close
// the session store.
import http from 'node:http';
import path from 'node:path';
import { loadConfig, loadDotEnv, ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { createApp } from './app.js';
import { openDb } from './store/db.js';
import { SqliteSessionStore } from './store/session-store.js';
import { LikeState } from './store/like-state.js';
import { createThingiverseClient } from './thingiverse/client.js';
import { loadOrCreateSessionSecret } from './store/secret-file.js';
import { startSandboxForApp } from './sandbox-mode.js';
import { closeGracefully } from './http/graceful.js';

async function main() {
  let config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const sandbox = config.mode === 'sandbox' ? await startSandboxForApp(config) : null;
  const secrets = config.sessionSecrets.length > 0 ? config.sessionSecrets : [loadOrCreateSessionSecret(config.dataDir)];
  const db = openDb(path.join(config.dataDir, 'app.db'));
  const sessionStore = new SqliteSessionStore(db, { defaultTtlMs: config.sessionIdleMs });
  const client = createThingiverseClient({ ...config.thingiverse, timeoutMs: config.upstreamTimeoutMs });
  const app = createApp(config, { client, sessionStore, likeState: new LikeState(db), logger, sessionSecrets: secrets });

  const server = http.createServer(app);
  server.listen(config.port, config.host, () => {
    const where = `${config.publicUrl}/`;
    if (sandbox) console.log(`thingiverse-likes (sandbox mode) is ready: open ${where} and click "Log in with Thingiverse". Fake Thingiverse runs at ${sandbox.url}.`);
    else console.log(`thingiverse-likes is ready: open ${where}`);
  });

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await closeGracefully(server, 10_000);
    await sandbox?.close();
    sessionStore.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error('thingiverse-likes could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
