// Headers, CSP, error pages and session timeouts across the app (H1-H3, E1, S3, L3).
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import supertest from 'supertest';
import { startStack, type Stack } from './helpers/stack.js';

let stack: Stack;
let now = Date.now();
beforeAll(async () => {
  stack = await startStack({ now: () => now });
});
afterAll(() => stack.close());
beforeEach(async () => {
  now = Date.now();
  await stack.reset();
});

const csp = (res: { headers: Record<string, unknown> }) => String(res.headers['content-security-policy']);

describe('security headers', () => {
  it.each(['/', '/login/token', '/no-such-page', '/?page=abc'])('%s: strict CSP, no-referrer, no X-Powered-By, no framing', async (p) => {
    const res = await supertest(stack.url).get(p);
    expect(csp(res)).toContain("script-src 'self'");
    expect(csp(res)).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp(res)).toContain("frame-ancestors 'none'");
    expect(csp(res)).toContain("form-action 'self'");
    expect(csp(res)).toContain(`img-src 'self' data: ${stack.sandboxUrl}`);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('over plain http on localhost: no HSTS and no upgrade-insecure-requests (H3)', async () => {
    const res = await supertest(stack.url).get('/');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(csp(res)).not.toContain('upgrade-insecure-requests');
  });
});

describe('error pages', () => {
  it('our own 404, with no stack or framework fingerprint', async () => {
    const res = await supertest(stack.url).get('/nope/../../etc/passwd');
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/Page not found/);
    expect(res.text).not.toMatch(/Cannot GET|at .+\.(ts|js):\d+/);
  });

  it('answers JSON errors to scripts', async () => {
    const res = await supertest(stack.url).get('/no-such-page').set('Accept', 'application/json');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'request_failed', message: 'There is no page at this address.' });
  });

  it('a malformed JSON body gives 400, not a crash', async () => {
    const res = await supertest(stack.url).post('/auth/token').set('Content-Type', 'application/json').send('{"access_token":');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/SyntaxError|at .+\.(ts|js):\d+/);
    expect((await supertest(stack.url).get('/')).status).toBe(200);
  });
});

describe('session lifetime (S3)', () => {
  it('ends a session after the absolute limit, however active', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    expect((await supertest(stack.url).get('/').set('Cookie', cookie)).text).toMatch(/Logged in as/);
    now += stack.config.sessionAbsoluteMs + 1000;
    try {
      expect((await supertest(stack.url).get('/').set('Cookie', cookie)).text).not.toMatch(/Logged in as/);
    } finally {
      now = Date.now();
    }
  });

  it('the cookie carries the idle timeout and is refreshed on activity (rolling)', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const res = await supertest(stack.url).get('/').set('Cookie', cookie);
    const setCookie = (res.headers['set-cookie'] as unknown as string[]).join();
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)?.[1] ?? '');
    expect(Math.abs(expires - (Date.now() + stack.config.sessionIdleMs))).toBeLessThan(5000);
  });
});

describe('templates', () => {
  it('never print data unescaped: <%- is used only for includes, the one sanitized description, and values the template escaped itself (L3)', () => {
    const dir = path.join(import.meta.dirname, '..', 'views');
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ejs'));
    expect(files.length).toBeGreaterThan(5);
    let escapedOnce = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const raw = [...text.matchAll(/<%-(.*?)%>/gs)].map((m) => m[1].trim());
      for (const expr of raw) {
        // A hot template escapes a value once and prints it several times: only a name ending
        // in Html, assigned from escapeFn (possibly behind a condition) in the same template.
        // Or a card's parts (idHtml, nameHtml, ownHtml), taken from thing.parts: made by
        // src/views/card-parts.ts with escapeHtml and views/partials/card-own.ejs (its test:
        // test/card-parts.test.ts).
        if (/^[a-z]\w*Html$/i.test(expr)) {
          expect(`${f}: ${expr}`).toMatch(/: \w+$/);
          const fromParts = /^(idHtml|nameHtml|ownHtml)$/.test(expr) && /const \{ idHtml, nameHtml, ownHtml \} = thing\.parts;/.test(text);
          if (!fromParts) expect(text).toMatch(new RegExp(`\\b${expr} = (?:[^;%]*\\? )?escapeFn\\(`));
          escapedOnce += 1;
          continue;
        }
        // The thing page's description is HTML by design; it comes out of src/views/sanitize.ts.
        expect(`${f}: ${expr}`).toMatch(/: include\(|^thing\.ejs: thing\.sanitizedDescription$/);
      }
    }
    expect(escapedOnce).toBeGreaterThan(0);
  });
});
