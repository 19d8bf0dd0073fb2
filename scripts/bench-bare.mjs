// The warm page's ceiling (issue 13): plain node:http answering the very bytes the app sent
// for the same paths (status, headers, body, recorded by the bench as ada_maker), with nothing
// else to do. What the app's warm page serves is measured as a share of this, in the same run.
import fs from 'node:fs';
import http from 'node:http';

/** @type {Record<string, { status: number; headers: Record<string, string | string[]>; body: string }>} */
const recorded = JSON.parse(fs.readFileSync(process.env.BENCH_BARE_PAGES, 'utf8'));
const pages = new Map(Object.entries(recorded).map(([path, r]) => [path, { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'utf8') }]));

const server = http.createServer((req, res) => {
  const page = pages.get(req.url);
  if (!page) {
    res.writeHead(404, { 'content-length': '0' });
    return res.end();
  }
  res.writeHead(page.status, page.headers);
  res.end(page.body);
});
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
