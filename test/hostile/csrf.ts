// CSRF on every state-changing route: missing, forged, other-session and misplaced tokens,
// cross-site requests even with a valid token, and writes without a login (C1, S4).
import type { HostileCase, Hostile } from '../helpers/hostile.js';

const like = (h: Hostile) => h.req().post(`/things/${h.thingId}/like`).set('Cookie', h.a.cookie);
const logout = (h: Hostile) => h.req().post('/logout').set('Cookie', h.a.cookie);

export const csrfCases: HostileCase[] = [
  { name: 'like: no CSRF token', status: 403, send: (h) => like(h).type('form').send({}) },
  { name: 'like: a forged CSRF token', status: 403, send: (h) => like(h).type('form').send({ _csrf: 'f'.repeat(64) }) },
  { name: 'like: an empty CSRF token', status: 403, send: (h) => like(h).type('form').send({ _csrf: '' }) },
  { name: "like: session B's CSRF token", status: 403, send: (h) => like(h).type('form').send({ _csrf: h.b.csrf }) },
  { name: "like: session B's token in the header", status: 403, send: (h) => like(h).set('x-csrf-token', h.b.csrf).type('form').send({}) },
  { name: 'like: the token only in the query string', status: 403, send: (h) => h.req().post(`/things/${h.thingId}/like?_csrf=${h.a.csrf}`).set('Cookie', h.a.cookie).type('form').send({}) },
  { name: 'like: the token twice (an array)', status: 403, send: (h) => like(h).type('form').send(`_csrf=${h.a.csrf}&_csrf=${h.a.csrf}`) },
  { name: 'like: the token in a text/plain body', status: 403, send: (h) => like(h).type('text/plain').send(`_csrf=${h.a.csrf}`) },
  { name: 'like: the token in a JSON body', status: 403, send: (h) => like(h).send({ _csrf: h.a.csrf }) },
  { name: 'like: valid token, Origin evil.example', status: 403, send: (h) => like(h).set('Origin', 'https://evil.example').type('form').send({ _csrf: h.a.csrf }) },
  { name: 'like: valid token, Sec-Fetch-Site cross-site', status: 403, send: (h) => like(h).set('Sec-Fetch-Site', 'cross-site').type('form').send({ _csrf: h.a.csrf }) },
  { name: 'like: valid token, Sec-Fetch-Site same-site', status: 403, send: (h) => like(h).set('Sec-Fetch-Site', 'same-site').type('form').send({ _csrf: h.a.csrf }) },
  { name: 'like: valid token, Origin on another port', status: 403, send: (h) => like(h).set('Origin', 'http://localhost:1').type('form').send({ _csrf: h.a.csrf }) },
  { name: 'like: valid token, Origin localhost.evil.example', status: 403, send: (h) => like(h).set('Origin', `http://localhost.evil.example:${new URL(h.url).port}`).type('form').send({ _csrf: h.a.csrf }) },
  { name: 'like: Origin null and no token', status: 403, send: (h) => like(h).set('Origin', 'null').type('form').send({}) },
  { name: 'like: not logged in', status: 401, send: (h) => h.req().post(`/things/${h.thingId}/like`).type('form').send({ _csrf: h.a.csrf }) },
  { name: 'unlike: not logged in (JSON)', status: 401, send: (h) => h.req().post(`/things/${h.thingId}/unlike`).set('Accept', 'application/json').type('form').send({}) },
  { name: 'logout: no CSRF token', status: 403, send: (h) => logout(h).type('form').send({}) },
  { name: 'logout: a forged CSRF token', status: 403, send: (h) => logout(h).type('form').send({ _csrf: 'a'.repeat(64) }) },
  { name: "logout: session B's CSRF token", status: 403, send: (h) => logout(h).type('form').send({ _csrf: h.b.csrf }) },
  { name: 'logout: valid token, Origin evil.example', status: 403, send: (h) => logout(h).set('Origin', 'https://evil.example').type('form').send({ _csrf: h.a.csrf }) },
  { name: 'logout: X-HTTP-Method-Override GET, no token', status: 403, send: (h) => logout(h).set('X-HTTP-Method-Override', 'GET').type('form').send({}) },
  { name: 'GET /logout (no state change on GET)', status: [404, 405], send: (h) => h.req().get('/logout').set('Cookie', h.a.cookie) },
];
