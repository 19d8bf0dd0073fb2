// Structured logs with pino. Redaction is a backstop: callers log only small, chosen
// fields (method, path without query, status, error kind), never request bodies, URLs
// with queries, upstream errors as-is, or cookies.
import { pino, type DestinationStream, type Logger } from 'pino';
import { isUpstreamError } from './thingiverse/errors.js';

export type { Logger };

const REDACT = [
  'token', 'accessToken', 'access_token', 'clientSecret', 'client_secret', 'authorization', 'cookie',
  '*.token', '*.accessToken', '*.access_token', '*.clientSecret', '*.client_secret',
  '*.authorization', '*.Authorization', '*.cookie', '*.headers', 'req.headers', 'err.options',
];

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: REDACT, censor: '[redacted]' },
    // pino's default err serializer writes the stack; ours keeps only errorFields, so even
    // an error logged raw by mistake cannot carry a stack, got's options or a body (L1).
    serializers: { err: errorFields },
  };
  return destination ? pino(options, destination) : pino(options);
}

type ErrorLike = { name?: unknown; code?: unknown; type?: unknown; message?: unknown; cause?: unknown };

// Marks what errorFields made, so pino's serializer (which applies it again) passes it through.
const CLEAN = Symbol('errorFields');

function clean(fields: Record<string, unknown>): Record<string, unknown> {
  Object.defineProperty(fields, CLEAN, { value: true });
  return fields;
}

/** The only shape of an error that reaches the log: no stack, no options, no body, no echoed input. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!err || typeof err !== 'object') return clean({ name: typeof err });
  if ((err as { [CLEAN]?: boolean })[CLEAN]) return err as Record<string, unknown>;
  if (isUpstreamError(err)) {
    const { name, kind, status, operation, ambiguous } = err;
    return clean({ name, kind, status, operation, ...(ambiguous ? { ambiguous: true } : {}) });
  }
  const e = err as ErrorLike;
  const name = typeof e.name === 'string' ? e.name.slice(0, 40) : 'Error';
  const out: Record<string, unknown> = { name };
  if (typeof e.code === 'string') out.code = e.code.slice(0, 40);
  if (typeof e.type === 'string') {
    // http-errors from body-parser (entity.parse.failed, entity.too.large...): the type says
    // it all, and a JSON SyntaxError message quotes the body, which may hold a token.
    out.type = e.type.slice(0, 40);
  } else if (typeof e.message === 'string' && name !== 'SyntaxError') {
    out.message = e.message.slice(0, 200);
  }
  // Why a login was refused, e.g. the upstream kind behind "that token was not accepted".
  if (e.cause && typeof e.cause === 'object') out.cause = errorFields(e.cause);
  return clean(out);
}
