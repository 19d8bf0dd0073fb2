// The app as a child process of the load script: the same entry as npm start (startServer in src/server.ts),
// but pointed at the load script's sandbox instead of starting its own, so the sandbox and
// its like state outlive an app restart. Answers memory questions over IPC.
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const serving = await startServer(config, { logger });
process.send?.({ type: 'ready' });

process.on('message', (msg: { type?: string; gc?: boolean }) => {
  if (msg.type !== 'mem') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (msg.gc && gc) gc();
  const { heapUsed, rss } = process.memoryUsage();
  process.send?.({ type: 'mem', heapUsed, rss });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void serving.stop(signal).then(({ cut }) => {
      process.send?.({ type: 'stopped', cut }, () => process.exit(0));
    });
  });
}
