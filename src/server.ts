// The only file that listens for real users. loadConfig → (in sandbox mode, the sandbox) →
// serve (app, store, graceful stop) → on SIGTERM/SIGINT stop accepting, let in-flight
// requests finish (bounded), close the session store, close the sandbox, exit 0.
import { loadConfig, loadDotEnv, ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { startSandboxForApp } from './sandbox-mode.js';
import { serve } from './serve.js';

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
  const serving = await serve(config, logger);
  const where = `${config.publicUrl}/`;
  if (sandbox) console.log(`thingiverse-likes (sandbox mode) is ready: open ${where} and click "Log in with Thingiverse". Fake Thingiverse runs at ${sandbox.url}.`);
  else console.log(`thingiverse-likes is ready: open ${where}`);

  const stop = async (signal: string) => {
    await serving.stop(signal);
    // The sandbox last: requests in flight above may still be waiting on it.
    await sandbox?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error('thingiverse-likes could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
