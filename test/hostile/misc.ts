// Open-redirect targets, unknown routes and methods, oversized or odd bodies on the write
// routes, header tricks (Host, X-Forwarded-*) and forged session cookies (O5, O6, E1, E2, S8).
import { expect } from '@jest/globals';
import type { HostileCase, Hostile } from '../helpers/hostile.js';

const noEvil = (res: { text: string; headers: Record<string, unknown> }) => {
  expect(res.text).not.toMatch(/evil\.example|javascript:/i);
  expect(String(res.headers.location ?? '')).not.toMatch(/evil|javascript:/i);
};

// A like of a thing Thingiverse does not know (404 upstream): the error page's way back
// must still be one of our own pages, whatever returnTo said.
const RETURN_TO = [
  'https://evil.example', '//evil.example', '/\\evil.example', '%2F%2Fevil.example', 'javascript:alert(1)', '/liked/../../x',
  'http://localhost/x', '\\\\evil.example', '/%09/evil.example', ' //evil.example', '/liked?page=2&x=//evil.example',
];
export const redirectCases: HostileCase[] = RETURN_TO.map((target) => ({
  name: `returnTo=${target}`, status: 404, upstream: 'allowed',
  send: (h: Hostile) => h.req().post('/things/999999999/like').set('Cookie', h.a.cookie).type('form').send({ _csrf: h.a.csrf, returnTo: target }),
  check: (res) => {
    noEvil(res);
    expect(res.text).toMatch(/<a href="\/">Back to popular things/);
  },
}));

const UNKNOWN: [string, string][] = [
  ['GET', '/admin'], ['GET', '/.env'], ['GET', '/.git/config'], ['GET', '/static/%2e%2e/src/app.ts'], ['GET', '/static/..%2Fpackage.json'],
  ['GET', '/%2e%2e/%2e%2e/etc/passwd'], ['GET', '/things/1/like'], ['PUT', '/'], ['DELETE', '/things/1/like'],
  ['PATCH', '/logout'], ['POST', '/'], ['POST', '/callback'], ['GET', '/login/token/extra'], ['GET', `/${'a'.repeat(4000)}`], ['GET', '/data/app.db'],
];
export const unknownCases: HostileCase[] = UNKNOWN.map(([method, path]) => ({
  name: `${method} ${path.slice(0, 40)}`, status: 404,
  send: (h: Hostile) => h.req()[method.toLowerCase() as 'get'](path).set('Cookie', h.a.cookie),
  check: (res) => expect(res.text).toMatch(/no page at this address/),
}));

const like = (h: Hostile) => h.req().post(`/things/${h.thingId}/like`).set('Cookie', h.a.cookie);
export const bodyCases: HostileCase[] = [
  { name: 'like: a 9 kB form body', status: 413, send: (h) => like(h).type('form').send({ _csrf: h.a.csrf, name: 'n'.repeat(9000) }) },
  { name: 'like: 30 form fields', status: 413, send: (h) => like(h).type('form').send(Array.from({ length: 30 }, (_, i) => `f${i}=1`).join('&') + `&_csrf=${h.a.csrf}`) },
  { name: 'like: a UTF-16 form', status: 415, send: (h) => like(h).set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-16').send(`_csrf=${h.a.csrf}`) },
  { name: 'like: gzip that is not gzip', status: 400, send: (h) => like(h).set('Content-Type', 'application/x-www-form-urlencoded').set('Content-Encoding', 'gzip').send(`_csrf=${h.a.csrf}`) },
  { name: 'logout: a 9 kB form body', status: 413, send: (h) => h.req().post('/logout').set('Cookie', h.a.cookie).type('form').send({ _csrf: h.a.csrf, x: 'y'.repeat(9000) }) },
];

const forged = (cookie: string) => (h: Hostile) => h.req().get('/liked').set('Cookie', cookie);
export const headerCases: HostileCase[] = [
  { name: 'like: Host evil.example, no token', status: 403, send: (h) => like(h).set('Host', 'evil.example').type('form').send({}), check: noEvil },
  { name: 'like: X-Forwarded-Host evil + matching Origin', status: 403, send: (h) => like(h).set('X-Forwarded-Host', 'evil.example').set('Origin', 'https://evil.example').type('form').send({ _csrf: h.a.csrf }), check: noEvil },
  { name: 'like: X-Forwarded-Proto https + https Origin', status: 403, send: (h) => like(h).set('X-Forwarded-Proto', 'https').set('Origin', h.url.replace('http:', 'https:')).type('form').send({ _csrf: h.a.csrf }) },
  { name: 'logout: X-Forwarded-For 127.0.0.1, no token', status: 403, send: (h) => h.req().post('/logout').set('Cookie', h.a.cookie).set('X-Forwarded-For', '127.0.0.1').type('form').send({}) },
  { name: 'logout: X-Original-URL / X-Rewrite-URL', status: 403, send: (h) => h.req().post('/logout').set('Cookie', h.a.cookie).set('X-Original-URL', '/').set('X-Rewrite-URL', '/').type('form').send({}) },
  { name: 'token POST: X-Forwarded-Host ours, Origin evil', status: 403, send: (h) => h.req().post('/auth/token').set('X-Forwarded-Host', new URL(h.url).host).set('Origin', 'https://evil.example').send({ access_token: 'abcdef0123456789abcdef', state: 'x' }), check: noEvil },
  { name: 'GET /liked logged out with X-Forwarded-Host/Proto', status: 401, send: (h) => h.req().get('/liked').set('X-Forwarded-Host', 'evil.example').set('X-Forwarded-Proto', 'https'), check: noEvil },
  { name: 'GET /liked with a forged session cookie', status: 401, send: (h) => forged('tvl.sid=s%3Afake-session.AAAA')(h) },
  { name: 'GET /liked with a cookie signed by another secret', status: 401, send: (h) => forged(`tvl.sid=${h.a.cookie.split('=')[1].replace(/\.[^.]+$/, '.c2lnbmVkLWVsc2V3aGVyZQ')}`)(h) },
  { name: 'GET /liked with an unsigned real session id', status: 401, send: (h) => forged(`tvl.sid=${decodeURIComponent(h.a.cookie.split('=')[1]).slice(2).split('.')[0]}`)(h) },
  { name: 'GET /liked with a 4 kB session cookie', status: 401, send: (h) => forged(`tvl.sid=${'s'.repeat(4000)}`)(h) },
  { name: 'GET /liked with an empty session cookie', status: 401, send: (h) => forged('tvl.sid=')(h) },
];
