// The paste-a-token form and the OAuth callback (code flow): missing, forged, expired,
// replayed and cross-session state, odd codes, and error texts that must never be echoed (O2, O3).
import { expect } from '@jest/globals';
import type { HostileCase, Hostile } from '../helpers/hostile.js';
import { consent } from '../helpers/stack.js';

const GOOD_SHAPE = 'abcdef0123456789abcdef0123456789';
const paste = async (h: Hostile) => h.pasteLogin();
const form = (h: Hostile, cookie: string) => h.req().post('/login/token').set('Cookie', cookie).type('form');

export const pasteCases: HostileCase[] = [
  { name: 'POST /login/token: no state', status: 400, prepare: paste, send: (h, p) => form(h, p.cookie).send({ access_token: GOOD_SHAPE }) },
  { name: 'POST /login/token: a forged state', status: 400, prepare: paste, send: (h, p) => form(h, p.cookie).send({ access_token: GOOD_SHAPE, state: 'x'.repeat(43) }) },
  { name: 'POST /login/token: two states', status: 400, prepare: paste, send: (h, p) => form(h, p.cookie).send(`state=${p.state}&state=${p.state}&access_token=${GOOD_SHAPE}`) },
  { name: 'POST /login/token: two tokens', status: 400, prepare: paste, send: (h, p) => form(h, p.cookie).send(`state=${p.state}&access_token=${GOOD_SHAPE}&access_token=${GOOD_SHAPE}`) },
  { name: 'POST /login/token: a 300-character token', status: 400, prepare: paste, send: (h, p) => form(h, p.cookie).send({ access_token: 'b'.repeat(300), state: p.state }) },
  { name: 'POST /login/token: spaces inside the token', status: 400, prepare: paste, send: (h, p) => form(h, p.cookie).send({ access_token: 'abcdef 0123456789 abcdef', state: p.state }) },
  { name: 'POST /login/token: a JSON body', status: 400, prepare: paste, send: (h, p) => h.req().post('/login/token').set('Cookie', p.cookie).send({ access_token: GOOD_SHAPE, state: p.state }) },
  { name: 'POST /login/token: text/plain', status: 400, prepare: paste, send: (h, p) => h.req().post('/login/token').set('Cookie', p.cookie).type('text/plain').send(`state=${p.state}`) },
  { name: 'POST /login/token: a 9 kB body', status: 413, prepare: paste, send: (h, p) => form(h, p.cookie).send({ access_token: 'c'.repeat(9000), state: p.state }) },
  { name: 'POST /login/token: 30 fields', status: 413, prepare: paste, send: (h, p) => form(h, p.cookie).send(Array.from({ length: 30 }, (_, i) => `f${i}=1`).join('&') + `&state=${p.state}`) },
  { name: 'POST /login/token: another app\'s form origin', status: 403, prepare: paste, send: (h, p) => form(h, p.cookie).set('Origin', 'https://evil.example').send({ access_token: GOOD_SHAPE, state: p.state }) },
];

/** GET /login then the sandbox's consent page: a real code and state for this session. */
const withCode = async (h: Hostile) => {
  const start = await h.preLogin();
  const back = new URL(await consent(start.location, 'dara_new'));
  return { cookie: start.cookie, state: start.state, code: back.searchParams.get('code') as string };
};
const callback = (h: Hostile, cookie: string, query: string) => h.req().get(`/callback?${query}`).set('Cookie', cookie);
const noEcho = (res: { text: string }) => {
  expect(res.text).not.toMatch(/<script>alert|evil\.example|onerror=/i);
};

export const callbackCases: HostileCase[] = [
  { name: 'GET /callback: code, no state', status: 400, prepare: withCode, send: (h, p) => callback(h, p.cookie, `code=${p.code}`) },
  { name: 'GET /callback: code, forged state', status: 400, prepare: withCode, send: (h, p) => callback(h, p.cookie, `code=${p.code}&state=${'z'.repeat(43)}`) },
  { name: 'GET /callback: code, state twice', status: 400, prepare: withCode, send: (h, p) => callback(h, p.cookie, `code=${p.code}&state=${p.state}&state=${p.state}`) },
  { name: 'GET /callback: code, no session', status: 400, prepare: withCode, send: (h, p) => h.req().get(`/callback?code=${p.code}&state=${p.state}`) },
  {
    name: "GET /callback: session A's code and state with session B's cookie", status: 400,
    prepare: async (h) => ({ ...(await withCode(h)), other: (await h.preLogin()).cookie }),
    send: (h, p) => callback(h, p.other, `code=${p.code}&state=${p.state}`),
  },
  {
    name: 'GET /callback: an expired state', status: 400, prepare: withCode,
    send: async (h, p) => {
      h.skewMs = 11 * 60_000;
      try {
        return await callback(h, p.cookie, `code=${p.code}&state=${p.state}`);
      } finally {
        h.skewMs = 0;
      }
    },
    check: (res) => expect(res.text).toMatch(/expired/),
  },
  {
    name: 'GET /callback: a replayed callback URL', status: 400,
    prepare: async (h) => {
      const p = await withCode(h);
      await callback(h, p.cookie, `code=${p.code}&state=${p.state}`).expect(303);
      return p;
    },
    send: (h, p) => callback(h, p.cookie, `code=${p.code}&state=${p.state}`),
  },
  ...['..%2F..%2Fusers%2Fme', 'a%20b', 'c'.repeat(600), '%00', '%3Cscript%3E'].map((code): HostileCase => ({
    name: `GET /callback: code=${code.slice(0, 30)}`, status: 400, prepare: withCode,
    send: (h, p) => callback(h, p.cookie, `code=${code}&state=${p.state}`), check: noEcho,
  })),
  { name: 'GET /callback: two codes', status: 400, prepare: withCode, send: (h, p) => callback(h, p.cookie, `code=${p.code}&code=${p.code}&state=${p.state}`) },
  ...['%3Cscript%3Ealert(1)%3C%2Fscript%3E', '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', 'https%3A%2F%2Fevil.example', 'access_denied'].map((error): HostileCase => ({
    name: `GET /callback: error=${error.slice(0, 30)}`, status: 400, prepare: withCode,
    send: (h, p) => callback(h, p.cookie, `error=${error}&state=${p.state}&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E`),
    check: noEcho,
  })),
];
