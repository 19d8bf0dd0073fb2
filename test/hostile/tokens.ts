// The token POST (implicit flow) and the paste form: bodies, content types, state tricks and
// odd tokens. A refused login leaves the session anonymous and calls nothing upstream (O2, O9, C2, E2).
import { expect } from '@jest/globals';
import type { HostileCase, Hostile } from '../helpers/hostile.js';

const GOOD_SHAPE = 'abcdef0123456789abcdef0123456789';
const post = (h: Hostile, cookie: string) => h.req().post('/auth/token').set('Cookie', cookie).set('Accept', 'application/json');
const pre = async (h: Hostile) => h.preLogin();
// No session existed and none may be created by a refused login.
const noSession = (res: { headers: Record<string, unknown> }) => expect(res.headers['set-cookie']).toBeUndefined();

/** A token POST with the right state and a given JSON body. */
const withBody = (name: string, body: (state: string) => unknown, status: number | number[] = 400): HostileCase => ({
  name: `POST /auth/token: ${name}`, status, prepare: pre,
  send: (h, p) => post(h, p.cookie).send(body(p.state) as object),
});

export const tokenCases: HostileCase[] = [
  { name: 'POST /auth/token: no body', status: 415, prepare: pre, send: (h, p) => post(h, p.cookie) },
  { name: 'POST /auth/token: text/plain', status: 415, prepare: pre, send: (h, p) => post(h, p.cookie).type('text/plain').send(`{"access_token":"${GOOD_SHAPE}","state":"${p.state}"}`) },
  { name: 'POST /auth/token: a form body', status: 415, prepare: pre, send: (h, p) => post(h, p.cookie).type('form').send({ access_token: GOOD_SHAPE, state: p.state }) },
  { name: 'POST /auth/token: malformed JSON', status: 400, prepare: pre, send: (h, p) => post(h, p.cookie).type('json').send(`{"access_token": "${GOOD_SHAPE}", "state": `) },
  { name: 'POST /auth/token: a JSON string', status: 400, prepare: pre, send: (h, p) => post(h, p.cookie).type('json').send('"hello"') },
  { name: 'POST /auth/token: a JSON array', status: 400, prepare: pre, send: (h, p) => post(h, p.cookie).type('json').send('[1,2]') },
  { name: 'POST /auth/token: 5 kB of JSON', status: 413, prepare: pre, send: (h, p) => post(h, p.cookie).send({ access_token: GOOD_SHAPE, state: p.state, pad: 'x'.repeat(5000) }) },
  { name: 'POST /auth/token: UTF-16 charset (decoded, unreadable)', status: 400, prepare: pre, send: (h, p) => post(h, p.cookie).set('Content-Type', 'application/json; charset=utf-16').send(`{"state":"${p.state}"}`) },
  { name: 'POST /auth/token: gzip that is not gzip', status: 400, prepare: pre, send: (h, p) => post(h, p.cookie).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('not gzip at all') },
  { name: 'POST /auth/token: unknown content encoding', status: 415, prepare: pre, send: (h, p) => post(h, p.cookie).set('Content-Type', 'application/json').set('Content-Encoding', 'x-evil').send('{}') },
  withBody('no state', () => ({ access_token: GOOD_SHAPE })),
  withBody('a forged state', () => ({ access_token: GOOD_SHAPE, state: 'A'.repeat(43) })),
  withBody('state as a number', () => ({ access_token: GOOD_SHAPE, state: 12345 })),
  withBody('state as an array', (s) => ({ access_token: GOOD_SHAPE, state: [s] })),
  withBody('state as an object', (s) => ({ access_token: GOOD_SHAPE, state: { $eq: s } })),
  withBody('a 300-character token', (s) => ({ access_token: 'a'.repeat(300), state: s })),
  withBody('a token with a space', (s) => ({ access_token: 'abcdef0123 456789abcdef', state: s })),
  withBody('a token with CRLF header injection', (s) => ({ access_token: `${GOOD_SHAPE}\r\nX-Evil: 1`, state: s })),
  withBody('a unicode token', (s) => ({ access_token: 'ａｂｃｄｅｆ０１２３４５６７８９ａｂｃ', state: s })),
  withBody('"Bearer <token>"', (s) => ({ access_token: `Bearer ${GOOD_SHAPE}`, state: s })),
  withBody('an empty token', (s) => ({ access_token: '', state: s })),
  withBody('a token as a number', (s) => ({ access_token: 1234567890123456, state: s })),
  withBody('a token as an array', (s) => ({ access_token: [GOOD_SHAPE], state: s })),
  withBody('a token as an object', (s) => ({ access_token: { toString: GOOD_SHAPE }, state: s })),
  { ...withBody('a well-formed token Thingiverse does not know', (s) => ({ access_token: GOOD_SHAPE, state: s })), upstream: 'allowed' },
  {
    name: "POST /auth/token: session A's state with session B's cookie", status: 400,
    prepare: async (h) => ({ cookie: (await h.preLogin()).cookie, state: (await h.preLogin()).state }),
    send: (h, p) => post(h, p.cookie).send({ access_token: GOOD_SHAPE, state: p.state }),
  },
  {
    name: 'POST /auth/token: a replayed state', status: 400,
    prepare: async (h) => {
      const p = await h.preLogin();
      await post(h, p.cookie).send({ access_token: 'short', state: p.state }).expect(400);
      return p;
    },
    send: (h, p) => post(h, p.cookie).send({ access_token: GOOD_SHAPE, state: p.state }),
  },
  {
    name: 'POST /auth/token: an expired state (11 minutes old)', status: 400, prepare: pre,
    send: async (h, p) => {
      h.skewMs = 11 * 60_000;
      try {
        return await post(h, p.cookie).send({ access_token: GOOD_SHAPE, state: p.state });
      } finally {
        h.skewMs = 0;
      }
    },
    check: (res) => expect(res.body.message).toMatch(/expired/),
  },
  { name: 'POST /auth/token: a state but no session', status: 400, send: (h) => h.req().post('/auth/token').send({ access_token: GOOD_SHAPE, state: 'A'.repeat(43) }), check: noSession },
  { name: 'GET /auth/token?access_token=… (never in a URL)', status: [404, 405], send: (h) => h.req().get(`/auth/token?access_token=${GOOD_SHAPE}`) },
];
