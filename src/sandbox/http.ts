// Small request/response helpers shared by the sandbox's routers.
import type { Request, Response } from 'express';

/** Express's simple query parser gives string | string[]; a repeated parameter counts as its first value. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** A parameter from the form/JSON body first, then the query string (OAuth endpoints accept all three). */
export function param(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  const fromBody = body && typeof body === 'object' ? str((body as Record<string, unknown>)[name]) : undefined;
  return fromBody ?? str(req.query[name]);
}

/** The token from `Authorization: Bearer <t>`, if that header is present. */
export function bearerToken(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

/** The API accepts the header or `?access_token=` (both work on the real API). */
export function apiToken(req: Request): string | undefined {
  return bearerToken(req) ?? str(req.query['access_token']);
}

/** Object URLs are built from the Host the client used, so links work whatever port the sandbox has. */
export function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
}

/** Thingiverse's error envelope: `{"error": ...}` in the body and, like older responses, in `X-Error`. */
// Choice: every API error carries X-Error, not only 401s; clients read either.
export function sendError(res: Response, status: number, message: string, extra: object = {}): void {
  res.set('X-Error', message.replace(/[^\x20-\x7e]/g, '?'));
  res.status(status).json({ error: message, ...extra });
}

/** Positive integer from a query value; undefined when absent, NaN when present but invalid. */
export function positiveInt(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  return /^[1-9]\d{0,8}$/.test(s) ? Number(s) : NaN;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
