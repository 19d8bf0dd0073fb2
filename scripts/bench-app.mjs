// The app as a child process of the bench, run the way `npm start` runs it: plain node on
// the compiled dist/ (npm run bench builds first), with exactly the production wiring of
// src/server.ts (startServer), configured by environment. Plain JS, not tsx: a TypeScript loader
// in the measured process would add ~25 MB of RSS and its own CPU. The bench reads RSS from /proc.
import { loadConfig } from '../dist/config.js';
import { createLogger } from '../dist/logger.js';
import { startServer } from '../dist/server.js';

const config = loadConfig();
const serving = await startServer(config, { logger: createLogger(config.logLevel) });
process.send({ type: 'ready' });
// Where the RSS goes (heap, external buffers), for the memory row's explanation. With
// BENCH_GC=1 and BENCH_APP_FLAGS=--expose-gc it first collects, to show the live heap.
process.on('message', (m) => {
  if (m?.type === 'mem' && process.env.BENCH_GC && globalThis.gc) globalThis.gc();
  if (m?.type === 'mem') process.send({ type: 'mem', ...process.memoryUsage() });
});
// --cpu-prof writes its profile on a normal exit, so stop through startServer's orderly path.
process.on('disconnect', () => void serving.stop('bench done').then(() => process.exit(0)));
