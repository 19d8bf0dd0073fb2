// The sandbox as a child process of the bench, so the floor it measures is not slowed by the
// load generator sharing its event loop. Counts what it answers (per route shape, 429s, like
// writes per thing and when each like was answered) and reports over IPC; its own request log
// is a ring of 5,000 without tokens, so the counts are kept here.
import express from 'express';
import { createSandbox, listen } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { LIFTED } from './bench-procs.js';

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? '50');
const sandbox = createSandbox({
  clients: [{ ...SANDBOX_CLIENT, redirectUris: [`${process.env.BENCH_PUBLIC_URL}/callback`] }],
  latencyMs,
  // Lifted for the load rows (one token sends tens of thousands of calls); the bulk rows set
  // a budget through the control API (PUT /__sandbox/rate-limit), where 0 429s must mean something.
  rateLimit: LIFTED,
  // heavy_liker with 10,000 likes (scale, export and CLI rows); fresh users without likes for
  // the import and bulk runs.
  heavyLikes: Number(process.env.BENCH_HEAVY_LIKES ?? '0'),
  loadUsers: Number(process.env.BENCH_LOAD_USERS ?? '0'),
});

const fresh = () => ({ routes: {} as Record<string, number>, status429: 0, writes: {} as Record<string, number>, likedAt: [] as number[] });
let stats = fresh();
const front = express();
front.use((req, res, next) => {
  if (req.path.startsWith('/__sandbox')) return next();
  const shape = `${req.method} ${req.path.replace(/\/\d+/g, '/:id').replace(/^\/users\/[^/]+/, '/users/:name')}`;
  stats.routes[shape] = (stats.routes[shape] ?? 0) + 1;
  const write = /^\/things\/(\d+)\/likes$/.exec(req.path);
  if (write && req.method !== 'GET') stats.writes[`${req.method} ${write[1]}`] = (stats.writes[`${req.method} ${write[1]}`] ?? 0) + 1;
  res.on('finish', () => {
    if (res.statusCode === 429) stats.status429 += 1;
    else if (write && req.method === 'POST' && res.statusCode < 300) stats.likedAt.push(Date.now());
  });
  next();
});
front.use(sandbox.app);

const server = await listen({ app: front }, { port: 0, host: '127.0.0.1' });
process.send!({ type: 'ready', port: server.port });
process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'stats') process.send!({ type: 'stats', stats });
  if (msg.type === 'reset-stats') {
    stats = fresh();
    process.send!({ type: 'stats', stats });
  }
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
