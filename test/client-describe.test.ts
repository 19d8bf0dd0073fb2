// describeUpstream (src/errors.ts): the one place where an upstream failure becomes words,
// for a page, a bulk job, a login and the command line. Chosen by kind, typed operation and
// detail, never by the error's own message (which never reaches a person).
import { describe, expect, it } from '@jest/globals';
import { describeUpstream, HttpError } from '../src/errors.js';
import { UpstreamError } from '../src/thingiverse/errors.js';
import type { Operation } from '../src/thingiverse/operations.js';
import type { UpstreamErrorKind } from '../src/thingiverse/types.js';

const NOW = 1_000_000;
const err = (kind: UpstreamErrorKind, op: Operation = 'thing', extra: Partial<ConstructorParameters<typeof UpstreamError>[0]> = {}) =>
  new UpstreamError({ kind, op, message: 'SECRET upstream text', ...extra });

describe('page words', () => {
  it.each([
    ['unauthorized', 401, /no longer valid, please log in again/, true],
    ['forbidden', 403, /does not allow/, false],
    ['not_found', 404, /gone from Thingiverse/, false],
    ['bad_request', 400, /^Thingiverse refused that request\.$/, false],
    ['timeout', 504, /did not answer in time/, false],
    ['unavailable', 502, /not answering right now/, false],
    ['bad_response', 502, /could not read/, false],
  ] as const)('%s: %i, its own words, logout %s', (kind, status, message, logout) => {
    const words = describeUpstream(err(kind), 'page', NOW);
    expect(words).toMatchObject({ status, logout, code: kind, message: expect.stringMatching(message) });
    expect(words.message).not.toContain('SECRET');
  });

  it('a refused like or unlike (the typed operation, no regex) mentions your own things; other 400s do not', () => {
    for (const op of ['like', 'unlike'] as const) expect(describeUpstream(err('bad_request', op), 'page').message).toMatch(/your own things/);
    expect(describeUpstream(err('bad_request', 'likedIds'), 'page').message).not.toMatch(/own things/);
  });

  it('rate_limited says when: Retry-After seconds, in words', () => {
    expect(describeUpstream(err('rate_limited', 'popular', { retryAt: NOW + 4_200 }), 'page', NOW)).toMatchObject({ status: 429, retryAfter: 5, message: expect.stringMatching(/try again in 5 seconds/) });
    expect(describeUpstream(err('rate_limited', 'popular', { retryAt: NOW + 300_000 }), 'page', NOW).message).toMatch(/try again in 5 minutes/);
  });

  it('an ambiguous write says it could not be confirmed; a too-large answer says so', () => {
    expect(describeUpstream(err('timeout', 'like', { ambiguous: true }), 'page').message).toMatch(/could not confirm/);
    expect(describeUpstream(err('bad_response', 'popular', { detail: 'too_large' }), 'page').message).toMatch(/much larger answer/);
  });
});

describe('the other contexts', () => {
  it('job: one line per thing, the same kinds', () => {
    expect(describeUpstream(err('not_found', 'like'), 'job').message).toBe('Not found on Thingiverse.');
    expect(describeUpstream(err('unauthorized', 'like'), 'job')).toMatchObject({ logout: true, message: 'Your Thingiverse login is no longer valid.' });
    expect(describeUpstream(err('timeout', 'like', { ambiguous: true }), 'job').message).toMatch(/did not confirm/);
    expect(describeUpstream(err('unavailable', 'like'), 'job').message).toBe('Thingiverse did not answer properly.');
  });

  it('login: a refused token or code is "Login failed" (400), anything else keeps the page words', () => {
    expect(describeUpstream(err('unauthorized', 'tokenInfo'), 'login')).toMatchObject({ status: 400, title: 'Login failed', code: 'login_refused', message: expect.stringMatching(/did not accept that token/) });
    expect(describeUpstream(err('bad_request', 'exchangeCode'), 'login').message).toMatch(/did not accept the login code/);
    expect(describeUpstream(err('unavailable', 'me'), 'login')).toMatchObject({ status: 502, code: 'unavailable' });
  });

  it('cli: no web wording about the page', () => {
    expect(describeUpstream(err('unauthorized', 'me'), 'cli').message).toMatch(/saved Thingiverse login/);
    expect(describeUpstream(err('timeout', 'like', { ambiguous: true }), 'cli').message).not.toMatch(/page/);
  });

  it('HttpError carries its JSON code (default request_failed)', () => {
    expect(new HttpError(404, 'x').errorCode).toBe('request_failed');
    expect(new HttpError(400, 'x', 't', { code: 'login_refused' }).errorCode).toBe('login_refused');
  });
});
