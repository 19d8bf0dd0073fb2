import { describe, it, expect } from '@jest/globals';
import path from 'node:path';
import { loadConfig, ConfigError } from '../src/config.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const GOOD_SECRET = '3f9a1c77e0b24d5d8a6e91f0c2b7d4e8a1f3c5e7';
const OTHER_SECRET = 'b71e04d9c3a85f26e0d1b4c7a9f2e5d8c6b3a0f9';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/tmp');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('with nothing set runs in sandbox mode on localhost:3000 with the implicit flow', () => {
    const c = loadConfig({}, '/work/app');
    expect(c.mode).toBe('sandbox');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.redirectUri).toBe('http://localhost:3000/callback');
    expect(c.host).toBe('127.0.0.1');
    expect(c.flow).toBe('implicit');
    expect(c.thingiverse.apiUrl).toBe('http://127.0.0.1:3001');
    expect(c.thingiverse.clientId).toBe(SANDBOX_CLIENT.clientId);
    expect(c.thingiverse.appToken).toBe(SANDBOX_CLIENT.appToken);
    expect(c.dataDir).toBe(path.resolve('/work/app', 'data'));
    expect(c.secureCookies).toBe(false);
    expect(c.sessionSecrets).toEqual([]);
  });

  it('derives the redirect URI from PORT and PUBLIC_URL', () => {
    expect(loadConfig({ PORT: '4000' }).redirectUri).toBe('http://localhost:4000/callback');
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:8080/' }).redirectUri).toBe('http://localhost:8080/callback');
  });

  it('with a client id runs live against thingiverse.com, implicit without a secret, code with one', () => {
    const env = { THINGIVERSE_CLIENT_ID: 'abcdef0123456789abcd', SESSION_SECRET: GOOD_SECRET };
    const implicit = loadConfig(env);
    expect(implicit.mode).toBe('live');
    expect(implicit.flow).toBe('implicit');
    expect(implicit.thingiverse.apiUrl).toBe('https://api.thingiverse.com');
    expect(implicit.thingiverse.authUrl).toBe('https://www.thingiverse.com');
    expect(loadConfig({ ...env, THINGIVERSE_CLIENT_SECRET: 'f'.repeat(32) }).flow).toBe('code');
  });

  it('reports every problem at once, in plain words (S7, O11)', () => {
    const problems = problemsOf({
      THINGIVERSE_CLIENT_ID: 'abcdef0123456789abcd',
      PORT: 'eighty',
      SANDBOX_PORT: '70000',
      PUBLIC_URL: 'http://example.com',
      TRUST_PROXY: 'true',
    });
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.join('\n')).toMatch(/PORT must be a port number/);
    expect(problems.join('\n')).toMatch(/SANDBOX_PORT/);
    expect(problems.join('\n')).toMatch(/SESSION_SECRET is required/);
    expect(problems.join('\n')).toMatch(/https/);
    expect(problems.join('\n')).toMatch(/TRUST_PROXY/);
  });

  it.each([
    ['too short', 'short-secret'],
    ['a sample value padded to length', 'keyboard cat'],
  ])('refuses a session secret that is %s', (_label, secret) => {
    expect(problemsOf({ SESSION_SECRET: secret }).join()).toMatch(/SESSION_SECRET/);
  });

  it('accepts a comma-separated list of secrets for rotation', () => {
    const c = loadConfig({ SESSION_SECRET: `${GOOD_SECRET}, ${OTHER_SECRET}` });
    expect(c.sessionSecrets).toEqual([GOOD_SECRET, OTHER_SECRET]);
  });

  it('refuses a long secret that is not random: 32 identical characters, a short pattern repeated (issue 8)', () => {
    expect(problemsOf({ SESSION_SECRET: 'a'.repeat(32) }).join()).toMatch(/not random enough/);
    expect(problemsOf({ SESSION_SECRET: 'abc'.repeat(12) }).join()).toMatch(/not random enough/);
    expect(problemsOf({ SESSION_SECRET: GOOD_SECRET })).toEqual([]);
  });

  it('THINGIVERSE_RATE_LIMIT: requests/seconds, Thingiverse\'s 300/300 by default', () => {
    expect(loadConfig({}).rateLimit).toEqual({ limit: 300, windowMs: 300_000 });
    expect(loadConfig({ THINGIVERSE_RATE_LIMIT: '30/3' }).rateLimit).toEqual({ limit: 30, windowMs: 3000 });
    for (const bad of ['300', '0/300', '300/0', '-1/5', '1e3/5', '300 / 300']) {
      expect(problemsOf({ THINGIVERSE_RATE_LIMIT: bad }).join()).toMatch(/THINGIVERSE_RATE_LIMIT must be requests\/seconds/);
    }
  });

  it('reports an unknown LOG_LEVEL at start, with the others', () => {
    const problems = problemsOf({ LOG_LEVEL: 'verbose', PORT: 'x' });
    expect(problems.join()).toMatch(/LOG_LEVEL must be one of fatal, error, warn, info, debug/);
    expect(problems.join()).toMatch(/PORT/);
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('an https PUBLIC_URL without TRUST_PROXY is refused: the Secure cookie could never be set', () => {
    const live = { THINGIVERSE_CLIENT_ID: 'abcdef0123456789abcd', SESSION_SECRET: GOOD_SECRET, PUBLIC_URL: 'https://likes.example' };
    expect(problemsOf(live).join()).toMatch(/TRUST_PROXY/);
    expect(loadConfig({ ...live, TRUST_PROXY: '1' }).secureCookies).toBe(true);
  });

  it('THINGIVERSE_API_URL / THINGIVERSE_SITE_URL: https anywhere, http on loopback only, origins only', () => {
    const live = { THINGIVERSE_CLIENT_ID: 'abcdef0123456789abcd', SESSION_SECRET: GOOD_SECRET };
    const staging = loadConfig({ ...live, THINGIVERSE_API_URL: 'https://api.staging.example', THINGIVERSE_SITE_URL: 'https://www.staging.example/' });
    expect(staging.thingiverse).toMatchObject({ apiUrl: 'https://api.staging.example', authUrl: 'https://www.staging.example' });
    const local = loadConfig({ ...live, THINGIVERSE_API_URL: 'http://127.0.0.1:3001', THINGIVERSE_SITE_URL: 'http://localhost:3001' });
    expect(local.thingiverse.apiUrl).toBe('http://127.0.0.1:3001');
    const problems = problemsOf({ ...live, THINGIVERSE_API_URL: 'http://api.example', THINGIVERSE_SITE_URL: 'https://x.example/path' });
    expect(problems.join('\n')).toMatch(/THINGIVERSE_API_URL must use https/);
    expect(problems.join('\n')).toMatch(/THINGIVERSE_SITE_URL must be an origin only/);
    expect(problemsOf({ THINGIVERSE_API_URL: 'https://api.staging.example' }).join()).toMatch(/need THINGIVERSE_CLIENT_ID/);
  });

  it('refuses a PUBLIC_URL with a path, and one that is not http(s)', () => {
    expect(problemsOf({ PUBLIC_URL: 'http://localhost:3000/app' }).join()).toMatch(/origin only/);
    expect(problemsOf({ PUBLIC_URL: 'ftp://localhost' }).join()).toMatch(/http/);
  });

  it('uses secure cookies when the public URL is https', () => {
    const c = loadConfig({ THINGIVERSE_CLIENT_ID: 'abcdef0123456789abcd', SESSION_SECRET: GOOD_SECRET, PUBLIC_URL: 'https://likes.example.org', TRUST_PROXY: '1' });
    expect(c.secureCookies).toBe(true);
    expect(c.trustProxy).toBe(1);
  });
});
