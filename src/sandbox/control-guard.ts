// Keeps the control API for the machine's own scripts: a web page the user visits must not be able
// to reset the sandbox or mint tokens. Two checks, each with a clear 403:
// - Host must name this server (a loopback name or the address the socket arrived on, and its port),
//   so a DNS-rebinding page on evil.example:3001 is refused;
// - a browser's cross-site request is refused by its Origin (or, without one, Sec-Fetch-Site).
// Requests without those headers (curl, tests, the bench) pass: they are not made by a web page.
import type { NextFunction, Request, Response } from 'express';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The socket's own address as it would appear in a Host header. */
function ownAddress(req: Request): string | undefined {
  const a = req.socket.localAddress?.replace(/^::ffff:/, '');
  if (!a) return undefined;
  return a.includes(':') ? `[${a}]` : a;
}

function hostIsOwn(req: Request): boolean {
  const host = (req.get('host') ?? '').toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!m) return false;
  const [, name, port = '80'] = m;
  if (Number(port) !== req.socket.localPort) return false;
  return LOOPBACK_NAMES.has(name!) || name === ownAddress(req);
}

function originIsOwn(req: Request): boolean {
  const origin = req.get('origin');
  if (origin !== undefined) return origin.toLowerCase() === `${req.protocol}://${(req.get('host') ?? '').toLowerCase()}`;
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function controlGuard(req: Request, res: Response, next: NextFunction): void {
  if (!hostIsOwn(req)) {
    return void res.status(403).json({ error: `Forbidden: Host ${JSON.stringify(req.get('host') ?? '')} is not this sandbox; use its own address (e.g. 127.0.0.1:${req.socket.localPort})` });
  }
  if (!originIsOwn(req)) {
    return void res.status(403).json({ error: 'Forbidden: cross-site requests to the control API are refused' });
  }
  next();
}
