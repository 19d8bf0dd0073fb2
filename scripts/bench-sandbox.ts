// The sandbox as a child process of the bench, so the floor it measures is not slowed by the
// load generator sharing its event loop. Counts what it answers (per route shape, 429s, and
// like writes per thing) and reports over IPC; its own request log is a ring of 5,000.
import express from 'express';
import { createSandbox, listen } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? '50');
// 'lifted' for the load rows (one token sends tens of thousands of calls); 'real' (300 per
// 5 minutes) for the bulk row, where 0 rate-limit errors has to mean something.
const rateLimit = process.env.BENCH_RATE_LIMIT === 'real' ? undefined : { limit: 1e9, windowMs: 300_000 };
const sandbox = createSandbox({
  clients: [{ ...SANDBOX_CLIENT, redirectUris: [`${process.env.BENCH_PUBLIC_URL}/callback`] }],
  latencyMs,
  ...(rateLimit ? { rateLimit } : {}),
  // heavy_liker with 10,000 likes, for the command line's `likes ids` row.
  heavyLikes: Number(process.env.BENCH_HEAVY_LIKES ?? '0'),
});

let stats = { routes: {} as Record<string, number>, status429: 0, writes: {} as Record<string, number> };
const front = express();
front.use((req, res, next) => {
  if (req.path.startsWith('/__sandbox')) return next();
  const shape = `${req.method} ${req.path.replace(/\/\d+/g, '/:id').replace(/^\/users\/[^/]+/, '/users/:name')}`;
  stats.routes[shape] = (stats.routes[shape] ?? 0) + 1;
  const write = /^\/things\/(\d+)\/likes$/.exec(req.path);
  if (write && req.method !== 'GET') stats.writes[`${req.method} ${write[1]}`] = (stats.writes[`${req.method} ${write[1]}`] ?? 0) + 1;
  res.on('finish', () => void (res.statusCode === 429 && (stats.status429 += 1)));
  next();
});
front.use(sandbox.app);

const server = await listen({ app: front }, { port: 0, host: '127.0.0.1' });
process.send!({ type: 'ready', port: server.port });
process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'stats') process.send!({ type: 'stats', stats });
  if (msg.type === 'reset-stats') {
    stats = { routes: {}, status429: 0, writes: {} };
    process.send!({ type: 'stats', stats });
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
