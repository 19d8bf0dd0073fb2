// `npm start`: loadConfig → in sandbox mode, the sandbox program as a child process →
// startServer. On SIGTERM/SIGINT: stop accepting, let requests in flight finish (bounded),
// pause jobs, close the database, then stop the sandbox, and exit 0.
import { loadConfig, loadDotEnv, ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { startSandboxProcess } from './sandbox-process.js';
import { startServer } from './server.js';

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
  const sandbox = config.mode === 'sandbox' ? await startSandboxProcess(config) : null;
  const serving = await startServer(config, { logger }).catch(async (err: unknown) => {
    await sandbox?.stop();
    throw err;
  });
  const where = `${config.publicUrl}/`;
  if (sandbox) {
    console.log(`thingiverse-likes (sandbox mode) is ready: open ${where} and click "Log in with Thingiverse". `
      + `Fake Thingiverse runs at ${sandbox.url} (process ${sandbox.pid}).`);
  } else console.log(`thingiverse-likes is ready: open ${where}`);

  const stop = async (signal: string) => {
    await serving.stop(signal);
    // The sandbox last: requests in flight above may still be waiting on it.
    await sandbox?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error('thingiverse-likes could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
