// One origin for cookies and the OAuth callback: a browser that arrives as 127.0.0.1 (or
// any other name) is sent to the public base URL before it starts a login. The target is
// built from config, never from the Host header (O5).
import type { NextFunction, Request, Response } from 'express';

export function canonicalHost(publicUrl: string) {
  const expected = new URL(publicUrl).host;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.host === expected || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    // Only the path and query travel over; originalUrl always starts with '/'.
    const target = req.originalUrl.startsWith('/') && !req.originalUrl.startsWith('//') ? req.originalUrl : '/';
    res.redirect(302, publicUrl + target);
  };
}
