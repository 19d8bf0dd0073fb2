// Structured logs with pino. Redaction is a backstop: callers log only small, chosen
// fields (method, path without query, status, error kind), never request bodies, URLs
// with queries, upstream errors as-is, or cookies.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'token', 'accessToken', 'access_token', 'clientSecret', 'client_secret', 'authorization', 'cookie',
  '*.token', '*.accessToken', '*.access_token', '*.clientSecret', '*.client_secret',
  '*.authorization', '*.Authorization', '*.cookie', '*.headers', 'req.headers', 'err.options',
];

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/** The only shape of an error that reaches the log: no stack with data, no options, no body. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; kind?: unknown; status?: unknown; operation?: unknown; code?: unknown; message?: unknown };
    const known = e.name === 'UpstreamError';
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      ...(known ? { kind: e.kind, status: e.status, operation: e.operation } : {}),
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(known ? {} : { message: typeof e.message === 'string' ? e.message.slice(0, 200) : undefined }),
    };
  }
  return { name: typeof err };
}
