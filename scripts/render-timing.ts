// In-process timing of the warm popular page's view: the list template rendered with the
// locals of a real request (ada_maker, page 1, logged in), and the same followed by the
// Buffer.from that Express's res.send makes of the HTML. The whole page's CPU moves by
// ±20% between runs on a shared machine; one view rendered 1,000 times in a row does not.
// Prints the min and median of the rounds (µs per render). App in this process (production
// view cache), sandbox a child process as in the bench.
// Usage: npx tsx scripts/render-timing.ts [rounds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { login, request } from './bench-http.js';
import { appEnv, freePort, startSandbox } from './bench-procs.js';

type Done = (err: Error | null, html?: string) => void;
type RenderFile = (file: string, data: object, opts: object, done: Done) => void;

const rounds = Number(process.argv[2] ?? 9);
const PER_ROUND = 1000;
// The same module instance src/views/engine.ts renders through.
const ejs = createRequire(import.meta.url)('ejs') as { renderFile: RenderFile };
let captured: { file: string; data: object; opts: object } | undefined;
const renderFile = ejs.renderFile;
ejs.renderFile = (file, data, opts, done) => {
  if (file.endsWith('list.ejs') && (data as { things?: unknown }).things) captured = { file, data, opts };
  renderFile(file, data, opts, done);
};

const sb = await startSandbox({ latencyMs: 0, publicUrl: 'http://localhost:3000' });
const port = await freePort();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-timing-'));
// Express turns its view cache on from process.env itself, as under npm start's NODE_ENV.
process.env.NODE_ENV = 'production';
const config = loadConfig(appEnv({ port, sandboxPort: sb.port, dataDir, popularCacheSeconds: 3600 }));
const serving = await startServer(config, { logger: createLogger(config.logLevel) });
const app = { port, host: `localhost:${port}` };
const s = await login(app, sb.port, 'ada_maker');
for (let i = 0; i < 2; i++) await request(port, 'GET', '/?page=1', { headers: { host: app.host, cookie: s.cookie } });
if (!captured) throw new Error('the popular page did not render list.ejs with cards');
const { file, data, opts } = captured;

const render = () => new Promise<string>((resolve, reject) => renderFile(file, data, opts, (err, html) => (err ? reject(err) : resolve(html!))));
async function time(what: string, once: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < PER_ROUND; i++) await once(); // warm-up: the JIT
  const us: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) await once();
    us.push(Number(process.hrtime.bigint() - t) / 1000 / PER_ROUND);
  }
  us.sort((a, b) => a - b);
  console.log(`${what.padEnd(34)} min ${us[0]!.toFixed(1)} µs, median ${us[rounds >> 1]!.toFixed(1)} µs`);
}
const html = await render();
console.log(`list view, page 1: ${html.length.toLocaleString('en')} characters, ${Buffer.byteLength(html).toLocaleString('en')} bytes`);
await time('render', render);
await time('render + Buffer.from (res.send)', async () => Buffer.from(await render()));

await serving.stop('render timing done');
await sb.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
