// The logger's redaction and error shaping (L1): secrets in well-known fields are censored,
// errors keep only small chosen fields, and nothing that quotes input or a stack gets through.
import { describe, it, expect } from '@jest/globals';
import { createLogger, errorFields } from '../src/logger.js';
import { UpstreamError } from '../src/thingiverse/errors.js';
import { HttpError } from '../src/errors.js';

const SECRET = 'SENTINEL0123456789abcdefSENTINEL';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', { write: (l: string) => void lines.push(l) }) };
}

describe('createLogger redaction', () => {
  it.each([
    ['token', { token: SECRET }],
    ['access_token', { access_token: SECRET }],
    ['accessToken nested', { session: { accessToken: SECRET } }],
    ['client_secret nested', { form: { client_secret: SECRET } }],
    ['authorization header', { headers: { authorization: `Bearer ${SECRET}` } }],
    ['cookie', { cookie: `tvl.sid=${SECRET}` }],
    ['req.headers', { req: { headers: { cookie: SECRET, 'x-anything': SECRET } } }],
    ['err.options (a got error logged raw)', { err: { name: 'RequestError', options: { headers: { authorization: `Bearer ${SECRET}` } } } }],
  ])('censors %s', (_name, fields) => {
    const { lines, logger } = capture();
    logger.info(fields, 'something');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).not.toMatch(/bearer/i);
  });

  it('writes a raw Error as its clean fields: no stack, no extra properties', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new TypeError('boom'), { options: { headers: { authorization: SECRET } }, body: SECRET });
    logger.error({ err }, 'failed');
    const line = JSON.parse(lines[0]);
    expect(line.err).toEqual({ name: 'TypeError', message: 'boom' });
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).not.toContain('stack');
  });
});

describe('errorFields', () => {
  it('keeps kind, status and operation of an UpstreamError, and never its message text', () => {
    const err = new UpstreamError({ kind: 'timeout', message: `x ${SECRET}`, op: 'like', ambiguous: true });
    expect(errorFields(err)).toEqual({ name: 'UpstreamError', kind: 'timeout', status: null, operation: 'POST /things/:id/likes', ambiguous: true });
  });

  it('recognises an UpstreamError by its class, not by a name string; a second pass keeps the fields', () => {
    const fake = { name: 'UpstreamError', kind: 'timeout', operation: 'x', status: 1 };
    expect(errorFields(fake)).toEqual({ name: 'UpstreamError' });
    const once = errorFields(new UpstreamError({ kind: 'not_found', op: 'thing', status: 404 }));
    expect(errorFields(once)).toEqual({ name: 'UpstreamError', kind: 'not_found', status: 404, operation: 'GET /things/:id' });
  });

  it('drops the message of a JSON SyntaxError, which quotes the body', () => {
    let caught: unknown;
    try {
      JSON.parse(`x${SECRET}`);
    } catch (e) {
      caught = e;
    }
    expect((caught as Error).message).toContain(SECRET.slice(0, 9)); // what would have leaked
    expect(JSON.stringify(errorFields(caught))).not.toContain(SECRET.slice(0, 9));
  });

  it('keeps only the type of a body-parser error', () => {
    const err = Object.assign(new Error(`Unexpected token in ${SECRET}`), { type: 'entity.parse.failed', status: 400 });
    expect(errorFields(err)).toEqual({ name: 'Error', type: 'entity.parse.failed' });
  });

  it('shows the upstream cause behind a refused login', () => {
    const cause = new UpstreamError({ kind: 'unauthorized', message: 'no', op: 'tokenInfo', status: 400 });
    const err = new HttpError(400, 'Thingiverse did not accept that token.', 'Login failed', { cause });
    expect(errorFields(err)).toEqual({
      name: 'HttpError', message: 'Thingiverse did not accept that token.',
      cause: { name: 'UpstreamError', kind: 'unauthorized', status: 400, operation: 'POST /login/oauth/tokeninfo' },
    });
  });

  it('is idempotent (the logger applies it again) and copes with non-errors', () => {
    const once = errorFields(new HttpError(404, 'gone'));
    expect(errorFields(once)).toEqual(once);
    expect(errorFields('text')).toEqual({ name: 'string' });
    expect(errorFields(null)).toEqual({ name: 'object' });
  });
});
