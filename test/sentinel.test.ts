// Sentinel (L1, L2): log in all three ways with tokens and a client secret we know, use the
// app (pages, likes, an upstream failure, a revoked token, hostile bodies), then search every
// app response (status, headers, Location, body) and every log line for those values.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import supertest from 'supertest';
import type { Response, Test } from 'supertest';
import { startStack, consent, csrfFrom, sessionCookie, type Stack } from './helpers/stack.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

let implicit: Stack;
let code: Stack;
beforeAll(async () => {
  implicit = await startStack({ timeoutMs: 300 });
  code = await startStack({ flow: 'code', timeoutMs: 300 });
});
afterAll(async () => {
  await implicit.close();
  await code.close();
});

const seen: string[] = [];
/** Every app response goes through here; the sandbox's own answers are not the app's output. */
async function rec(t: Test): Promise<Response> {
  const res = await t;
  seen.push(JSON.stringify({ status: res.status, headers: res.headers, text: res.text }));
  return res;
}

/** Page views, a like and an unlike (form and JSON), two upstream failures, then a revoked token. */
async function useTheApp(stack: Stack, cookie: string, revoke: () => void) {
  const app = () => supertest(stack.url);
  const home = await rec(app().get('/').set('Cookie', cookie));
  expect(home.text).toMatch(/Logged in as/);
  const csrf = csrfFrom(home.text);
  const id = Number(/id="thing-(\d+)"/.exec(home.text)?.[1]);
  await rec(app().get('/liked').set('Cookie', cookie));
  await rec(app().get('/?page=2').set('Cookie', cookie).set('Accept', 'application/json'));
  await rec(app().post(`/things/${id}/like`).set('Cookie', cookie).type('form').send({ _csrf: csrf, returnTo: '/' }));
  await rec(app().post(`/things/${id}/unlike`).set('Cookie', cookie).set('Accept', 'application/json').type('form').send({ _csrf: csrf }));
  stack.sandbox.addFault({ kind: 'status', status: 500, route: 'POST /things/:id/likes', times: 1 });
  expect((await rec(app().post(`/things/${id}/like`).set('Cookie', cookie).type('form').send({ _csrf: csrf }))).status).toBe(502);
  await rec(app().get('/liked/export?format=json').set('Cookie', cookie));
  // The liked page reads the local index; the popular page (a page not seen yet) calls upstream.
  stack.sandbox.addFault({ kind: 'hang', ms: 1000, route: 'GET /popular', times: 1 });
  expect((await rec(app().get('/?page=9').set('Cookie', cookie).set('Accept', 'application/json'))).status).toBe(504);
  revoke();
  expect((await rec(app().get('/?page=10').set('Cookie', cookie))).status).toBe(401);
}

/** `fragments`: shorter pieces a quoting error message would show (V8 quotes ~10 characters). */
function expectNowhere(values: string[], stacks: Stack[], fragments: string[] = []) {
  for (const v of values) expect(v.length).toBeGreaterThanOrEqual(32);
  const logs = stacks.flatMap((s) => s.logs);
  expect(seen.length).toBeGreaterThan(10);
  expect(logs.length).toBeGreaterThan(10);
  for (const v of [...values, ...fragments]) {
    expect(seen.filter((r) => r.includes(v))).toEqual([]);
    expect(logs.filter((l) => l.includes(v))).toEqual([]);
  }
}

describe('sentinel: the token and the client secret never leave the server', () => {
  it('implicit flow through the consent page, and a pasted token', async () => {
    // Implicit: the sandbox puts the token in the fragment; the browser script POSTs it.
    const start = await rec(supertest(implicit.url).get('/login'));
    const back = new URL(await consent(start.headers.location as string, 'ada_maker'));
    const fragment = new URLSearchParams(back.hash.slice(1));
    const token = fragment.get('access_token') as string;
    await rec(supertest(implicit.url).get('/callback').set('Cookie', sessionCookie(start.headers['set-cookie'])));
    // Hostile bodies that carry the token: a JSON parse error quotes the text around the bad
    // character ('..."ss_token":x3fa4b2c1"...'), which must not reach the log.
    const pre = sessionCookie(start.headers['set-cookie']);
    await rec(supertest(implicit.url).post('/auth/token').set('Cookie', pre).type('json').send(`{"access_token":x${token}}`));
    await rec(supertest(implicit.url).post('/auth/token').set('Cookie', pre).type('json').send(`x${token}`));
    const again = await rec(supertest(implicit.url).get('/login'));
    const ok = await rec(supertest(implicit.url).post('/auth/token').set('Cookie', sessionCookie(again.headers['set-cookie']))
      .send({ access_token: token, state: new URL(again.headers.location as string).searchParams.get('state') }));
    expect(ok.status).toBe(200);
    await useTheApp(implicit, sessionCookie(ok.headers['set-cookie']), () => implicit.sandbox.revokeToken(token));

    // Pasted: a token minted for bram, pasted with stray spaces.
    const pasted = implicit.sandbox.issueToken('bram_prints');
    const form = await rec(supertest(implicit.url).get('/login/token'));
    const state = /name="state" value="([^"]+)"/.exec(form.text)?.[1] as string;
    const cookie = sessionCookie(form.headers['set-cookie']);
    await rec(supertest(implicit.url).post('/login/token').set('Cookie', cookie).type('form').send({ access_token: `${pasted}x${'y'.repeat(300)}`, state }));
    const form2 = await rec(supertest(implicit.url).get('/login/token'));
    const state2 = /name="state" value="([^"]+)"/.exec(form2.text)?.[1] as string;
    const done = await rec(supertest(implicit.url).post('/login/token').set('Cookie', sessionCookie(form2.headers['set-cookie']))
      .type('form').send({ access_token: `  ${pasted} `, state: state2 }));
    expect(done.status).toBe(303);
    await useTheApp(implicit, sessionCookie(done.headers['set-cookie']), () => implicit.sandbox.revokeToken(pasted));

    expectNowhere([token, pasted, SANDBOX_CLIENT.clientSecret], [implicit], [`x${token.slice(0, 8)}`]);
  });

  it('code flow: the secret goes only to the token endpoint, the token only into the session store', async () => {
    // A failed exchange first (Thingiverse down), then a good one.
    for (const fault of [true, false]) {
      const start = await rec(supertest(code.url).get('/login'));
      const back = new URL(await consent(start.headers.location as string, 'cleo_collects'));
      if (fault) code.sandbox.addFault({ kind: 'status', status: 503, route: 'POST /login/oauth/access_token', times: 1 });
      const res = await rec(supertest(code.url).get(`/callback${back.search}`).set('Cookie', sessionCookie(start.headers['set-cookie'])));
      expect(res.status).toBe(fault ? 502 : 303);
      if (fault) continue;
      const cookie = sessionCookie(res.headers['set-cookie']);
      // The token the server holds, read from its own store: the value to look for.
      const sid = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
      const row = code.db.prepare('SELECT data FROM sessions WHERE sid = ?').get(sid) as { data: string };
      const token = JSON.parse(row.data).token as string;
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      await useTheApp(code, cookie, () => code.sandbox.revokeToken(token));
      expectNowhere([token, SANDBOX_CLIENT.clientSecret], [code]);
    }
  });
});
