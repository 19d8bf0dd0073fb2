// The warm page's ceiling (issue 13): plain node:http answering the very bytes the app sent
// for the same paths (status, headers, body, recorded by the bench as ada_maker), with nothing
// else to do. What the app's warm page serves is measured as a share of this, in the same run.
// With BENCH_BARE_FRAMEWORK=express the same bytes go through a plain Express 5 app instead
// (res.send, as the app's views end): the memory floor of the framework the app must use;
// with =stack the other libraries the app must use (express-session, ejs, got, helmet) are
// loaded as well, and not used: what loading them alone costs.
import fs from 'node:fs';
import http from 'node:http';

/** @type {Record<string, { status: number; headers: Record<string, string | string[]>; body: string }>} */
const recorded = JSON.parse(fs.readFileSync(process.env.BENCH_BARE_PAGES, 'utf8'));
const pages = new Map(Object.entries(recorded).map(([path, r]) => [path, { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'utf8'), text: r.body }]));

/** @type {http.RequestListener} */
let handler = (req, res) => {
  const page = pages.get(req.url);
  if (!page) {
    res.writeHead(404, { 'content-length': '0' });
    return res.end();
  }
  res.writeHead(page.status, page.headers);
  res.end(page.body);
};

const framework = process.env.BENCH_BARE_FRAMEWORK;
if (framework === 'stack') await Promise.all(['express-session', 'ejs', 'got', 'helmet'].map((name) => import(name)));
if (framework === 'express' || framework === 'stack') {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res) => {
    const page = pages.get(req.url);
    if (!page) return res.sendStatus(404);
    const { 'content-length': _length, ...headers } = page.headers;
    res.status(page.status).set(headers).send(page.text);
  });
  handler = app;
}

const server = http.createServer(handler);
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
