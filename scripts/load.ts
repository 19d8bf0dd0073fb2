// npm run load [-- --seconds 30 --users 200 --fault-rate 0.05 --restart]
// Starts the sandbox (in this process, so its state survives an app restart) and the app (a
// child process, so its memory is its own), runs N virtual users for a fixed time, each
// logging in and mixing page views, likes and unlikes, with faults injected on a share of
// actions. Then compares, user by user, the like state the app last confirmed with the
// sandbox's truth, and prints the figures. Exit code 1 when a target is missed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { parseArgs } from 'node:util';
import express from 'express';
import { createSandbox, listen, type FaultRule } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { AppChild, type Mem } from './load/child.js';
import { VirtualUser, counters } from './load/vu.js';
import { tally } from './load/http.js';
import { report } from './load/report.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    users: { type: 'string', default: '200' },
    'fault-rate': { type: 'string', default: '0.05' },
    restart: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const users = Number(args.users);
const faultRate = Number(args['fault-rate']);

// A share of actions gets one of these on its upstream route (times: 1): a plain failure, a
// dropped connection, and the ambiguous kinds where the write is stored but the answer lost.
const FAULTS: Omit<FaultRule, 'route'>[] = [
  { kind: 'status', status: 503 },
  { kind: 'reset' },
  { kind: 'reset', after: true },
  { kind: 'status', status: 502, after: true },
];

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const port = await freePort();
const base = `http://localhost:${port}`;
const sandbox = createSandbox({
  clients: [{ ...SANDBOX_CLIENT, redirectUris: [`${base}/callback`] }],
  rateLimit: { limit: 1e9, windowMs: 300_000 },
  loadUsers: users,
});
// Count every upstream call (the sandbox's own request log is a ring of the last 5,000).
let upstreamCalls = 0;
const front = express();
front.use((req, _res, next) => {
  if (!req.path.startsWith('/__sandbox')) upstreamCalls += 1;
  next();
});
front.use(sandbox.app);
const sb = await listen({ app: front }, { port: 0, host: '127.0.0.1' });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-load-'));
const app = new AppChild({ PORT: String(port), SANDBOX_PORT: String(sb.port), DATA_DIR: dataDir });
await app.start();

const mem: { start: Mem; peak: Mem; open?: Mem; after?: Mem } = { start: await app.mem(true), peak: { heapUsed: 0, rss: 0 } };
const sample = async () => {
  const m = await app.mem().catch(() => null);
  if (m) mem.peak = { heapUsed: Math.max(mem.peak.heapUsed, m.heapUsed), rss: Math.max(mem.peak.rss, m.rss) };
};
const sampler = setInterval(() => void sample(), 500);

let faultsInjected = 0;
const inject = (route: string) => {
  sandbox.addFault({ ...FAULTS[Math.floor(Math.random() * FAULTS.length)]!, route, times: 1 });
  faultsInjected += 1;
};
const vus = Array.from({ length: users }, (_, i) => {
  const name = `load_user_${i + 1}`;
  return new VirtualUser(name, sandbox.issueToken(name), base, inject);
});
await Promise.all(vus.map((v) => v.login()));
const upstreamBefore = upstreamCalls;

const started = Date.now();
const deadline = started + seconds * 1000;
let restart: { exitCode: number | null; cut: number | null; stopMs: number; downMs: number; atS: number } | undefined;
const restarting = args.restart
  ? new Promise<void>((resolve) => setTimeout(() => {
    const atS = (Date.now() - started) / 1000;
    void app.restart().then((r) => (restart = { ...r, atS })).finally(resolve);
  }, (seconds * 1000) / 2))
  : Promise.resolve();
await Promise.all(vus.map((v) => v.run(deadline, faultRate)));
await restarting;
const elapsedS = (Date.now() - started) / 1000;
const loadRequests = tally.requests;
sandbox.clearFaults();

// Every user's confirmed states against the sandbox, then one last look at their pages.
let checked = 0;
let mismatches = 0;
let unknownAtEnd = 0;
let finalCards = 0;
let finalMismatches = 0;
for (const vu of vus) {
  const truth = new Set(sandbox.likedIds(vu.name));
  for (const [id, liked] of vu.confirmed) {
    if (vu.unknown.has(id)) continue;
    checked += 1;
    if (truth.has(id) !== liked) mismatches += 1;
  }
  unknownAtEnd += vu.unknown.size;
  for (const page of [1, 2, 3]) {
    for (const [id, liked] of await vu.view(page, true)) {
      finalCards += 1;
      if (truth.has(id) !== liked) finalMismatches += 1;
    }
  }
}

clearInterval(sampler);
// The clients' keep-alive connections (and their buffers) are still open for a few seconds:
// measure once with them, then after they have timed out (undici: 4 s), both after a full GC.
await new Promise((r) => setTimeout(r, 1000));
mem.open = await app.mem(true);
await new Promise((r) => setTimeout(r, 5000));
mem.after = await app.mem(true);
const { code: exitCode, cut: finalCut } = await app.stop();
await sb.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const ok = report({
  users, seconds, elapsedS, faultRate, faultsInjected, loadRequests, upstream: upstreamCalls - upstreamBefore,
  checked, mismatches, unknownAtEnd, finalCards, finalMismatches, restart, exitCode, finalCut, crashes: app.crashes, log: app.log, mem,
});
process.exit(ok ? 0 : 1);
