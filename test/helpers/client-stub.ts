// A tiny recording HTTP server on 127.0.0.1:0 that stands in for Thingiverse in the client
// tests. Each test sets `handler`; every request is recorded (method, url, headers, body).
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, rec: Recorded, attempt: number) => void;

export interface Stub {
  url: string;
  requests: Recorded[];
  handler: Handler;
  reset(): void;
  close(): Promise<void>;
}

export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

export const text = (res: ServerResponse, status: number, body: string, type = 'text/plain', headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
};

const notSet: Handler = (_req, res) => json(res, 500, { error: 'no handler set in test' });

export async function startStub(): Promise<Stub> {
  const stub: Stub = {
    url: '',
    requests: [],
    handler: notSet,
    reset() {
      stub.requests.length = 0;
      stub.handler = notSet;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      stub.requests.push(rec);
      stub.handler(req, res, rec, stub.requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
