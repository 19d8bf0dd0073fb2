// Login and logout, over real HTTP against the sandbox: all three ways in, every bad-state
// case (O2), token checks (O9), session regeneration (S2), logout (S4).
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { startStack, consent, csrfFrom, type Stack } from './helpers/stack.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const OTHER_CLIENT = {
  name: 'someone else', clientId: 'ffffeeeeddddccccbbbb', clientSecret: 'e'.repeat(32),
  appToken: 'd'.repeat(32), redirectUris: ['http://localhost:9/callback'],
};

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

const sidOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('tvl.sid='))?.split(';')[0];

async function startLogin(agent = stack.agent()) {
  const res = await agent.get('/login').expect(302);
  const location = res.headers.location as string;
  return { agent, location, state: new URL(location).searchParams.get('state') as string, res };
}

const isLoggedIn = async (agent: ReturnType<Stack['agent']>) => /Logged in as/.test((await agent.get('/')).text);

describe('GET /login', () => {
  it('redirects to the authorize page with our client id, the configured redirect URI, response_type=token and a fresh state', async () => {
    const { location, state, res } = await startLogin();
    const url = new URL(location);
    expect(url.origin).toBe(stack.sandboxUrl);
    expect(url.pathname).toBe('/login/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe(SANDBOX_CLIENT.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${stack.url}/callback`);
    expect(url.searchParams.get('response_type')).toBe('token');
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).join(';');
    expect(cookie).toMatch(/tvl\.sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const second = await startLogin();
    expect(second.state).not.toBe(state);
  });

  it('ignores a spoofed X-Forwarded-Host: the redirect URI always comes from config (O5)', async () => {
    const res = await stack.agent().get('/login').set('X-Forwarded-Host', 'evil.example').expect(302);
    expect(new URL(res.headers.location as string).searchParams.get('redirect_uri')).toBe(`${stack.url}/callback`);
  });

  it('sends a browser on another host name to the public URL first', async () => {
    const port = new URL(stack.url).port;
    const res = await supertest(`http://127.0.0.1:${port}`).get('/login').expect(302);
    expect(res.headers.location).toBe(`${stack.url}/login`);
  });

  it('an anonymous visit to / sets no cookie (S6)', async () => {
    const res = await supertest(stack.url).get('/').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('implicit flow: GET /callback and POST /auth/token', () => {
  it('logs in through the sandbox consent page, with a new session id (S2)', async () => {
    const { agent, location, res } = await startLogin();
    const preSid = sidOf(res);
    const back = await consent(location, 'ada_maker');
    const fragment = new URLSearchParams(new URL(back).hash.slice(1));
    expect(back.startsWith(`${stack.url}/callback#`)).toBe(true);
    const page = await agent.get('/callback').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('/static/callback.js');
    expect(page.text).not.toMatch(/<script>[^<]/);
    const posted = await agent.post('/auth/token').set('Accept', 'application/json')
      .send({ access_token: fragment.get('access_token'), state: fragment.get('state') }).expect(200);
    expect(posted.body).toEqual({ ok: true, next: '/' });
    expect(posted.headers['cache-control']).toBe('no-store');
    const postSid = sidOf(posted);
    expect(postSid).toBeDefined();
    expect(postSid).not.toBe(preSid);
    expect(await isLoggedIn(agent)).toBe(true);
    // The pre-login session id is worthless now.
    const old = await supertest(stack.url).get('/').set('Cookie', preSid as string);
    expect(old.text).not.toMatch(/Logged in as/);
  });

  it.each([
    ['missing', () => undefined],
    ['wrong', () => 'A'.repeat(43)],
    ['empty', () => ''],
    ['not a string', () => 12345],
  ])('refuses a %s state with 400 and stays logged out', async (_label, make) => {
    const { agent } = await startLogin();
    const token = stack.sandbox.issueToken('ada_maker');
    const res = await agent.post('/auth/token').set('Accept', 'application/json').send({ access_token: token, state: make() });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/start again/);
    expect(await isLoggedIn(agent)).toBe(false);
  });

  it('refuses a replayed state (one use only)', async () => {
    const { agent, state } = await startLogin();
    const token = stack.sandbox.issueToken('ada_maker');
    await agent.post('/auth/token').set('Accept', 'application/json').send({ access_token: 'x', state }).expect(400);
    const replay = await agent.post('/auth/token').set('Accept', 'application/json').send({ access_token: token, state });
    expect(replay.status).toBe(400);
    expect(await isLoggedIn(agent)).toBe(false);
  });

  it('refuses an expired state (older than 10 minutes)', async () => {
    const { agent, state } = await startLogin();
    now += 11 * 60_000;
    try {
      const res = await agent.post('/auth/token').set('Accept', 'application/json')
        .send({ access_token: stack.sandbox.issueToken('ada_maker'), state });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/expired/);
    } finally {
      now = Date.now();
    }
  });

  it("refuses session A's state sent with session B's cookie", async () => {
    const a = await startLogin();
    const b = await startLogin();
    const res = await b.agent.post('/auth/token').set('Accept', 'application/json')
      .send({ access_token: stack.sandbox.issueToken('ada_maker'), state: a.state });
    expect(res.status).toBe(400);
    expect(await isLoggedIn(b.agent)).toBe(false);
  });

  it.each([
    ['too short', 'abc123'],
    ['with spaces', 'abcd efgh ijkl mnop qrst'],
    ['with a header break', 'abcdefghijklmnop\r\nX-Evil: 1'],
    ['too long', 'a'.repeat(257)],
    ['not a string', 42],
  ])('refuses a token that is %s before asking Thingiverse', async (_label, token) => {
    const { agent, state } = await startLogin();
    const mark = stack.sandbox.requests().length;
    const res = await agent.post('/auth/token').set('Accept', 'application/json').send({ access_token: token, state });
    expect(res.status).toBe(400);
    expect(stack.sandbox.requests().length).toBe(mark);
  });

  it('refuses a token Thingiverse does not know, or one that was revoked', async () => {
    const { agent, state } = await startLogin();
    const res = await agent.post('/auth/token').set('Accept', 'application/json').send({ access_token: '0123456789abcdef0123456789abcdef', state });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/did not accept/);
    const token = stack.sandbox.issueToken('ada_maker');
    stack.sandbox.revokeToken(token);
    const second = await startLogin();
    const res2 = await second.agent.post('/auth/token').set('Accept', 'application/json').send({ access_token: token, state: second.state });
    expect(res2.status).toBe(400);
  });

  it('refuses a token issued to another app (tokeninfo audience, O9)', async () => {
    const other = await startStack({ sandbox: { clients: [{ ...SANDBOX_CLIENT, redirectUris: ['http://localhost:1/callback'] }, OTHER_CLIENT] } });
    try {
      const agent = other.agent();
      const start = await agent.get('/login');
      const state = new URL(start.headers.location as string).searchParams.get('state');
      const foreign = other.sandbox.issueToken('ada_maker', OTHER_CLIENT.clientId);
      const res = await agent.post('/auth/token').set('Accept', 'application/json').send({ access_token: foreign, state });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/different Thingiverse app/);
      expect(/Logged in as/.test((await agent.get('/')).text)).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('takes JSON only, and never a token in the URL (O8)', async () => {
    const { agent, state } = await startLogin();
    const form = await agent.post('/auth/token').type('form').send({ access_token: stack.sandbox.issueToken('ada_maker'), state });
    expect(form.status).toBe(415);
    expect((await agent.get('/auth/token?access_token=abc')).status).toBe(404);
  });

  it('refuses a cross-site POST outright (C2)', async () => {
    const { agent, state } = await startLogin();
    const res = await agent.post('/auth/token').set('Origin', 'https://evil.example').set('Accept', 'application/json')
      .send({ access_token: stack.sandbox.issueToken('ada_maker'), state });
    expect(res.status).toBe(403);
    const res2 = await agent.post('/auth/token').set('Sec-Fetch-Site', 'cross-site').set('Accept', 'application/json')
      .send({ access_token: stack.sandbox.issueToken('ada_maker'), state });
    expect(res2.status).toBe(403);
  });

  it('shows a fixed, friendly message when the user denies, and never echoes the error text', async () => {
    const { agent, location } = await startLogin();
    const back = await consent(location, 'ada_maker', 'deny');
    expect(new URL(back).hash).toContain('error=access_denied');
    const res = await agent.get('/callback?error=access_denied').expect(400);
    expect(res.text).toMatch(/chose not to allow/);
    const evil = await agent.get('/callback?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E').expect(400);
    expect(evil.text).not.toContain('<script>alert(1)');
    expect(evil.text).not.toContain('&lt;script&gt;alert(1)');
  });

  it('a cross-site link to /callback?error=… does not cancel the login in progress (issue 8)', async () => {
    const { agent, state } = await startLogin();
    await agent.get('/callback?error=access_denied').expect(400);
    await agent.get('/callback?error=access_denied&state=not-ours').expect(400);
    // The real answer still completes the login.
    await agent.post('/auth/token').set('Accept', 'application/json')
      .send({ access_token: stack.sandbox.issueToken('ada_maker'), state }).expect(200);
    expect(await isLoggedIn(agent)).toBe(true);
    // A denial that answers our state does spend it.
    const second = await startLogin();
    await second.agent.get(`/callback?error=access_denied&state=${second.state}`).expect(400);
    const late = await second.agent.post('/auth/token').set('Accept', 'application/json')
      .send({ access_token: stack.sandbox.issueToken('ada_maker'), state: second.state });
    expect(late.status).toBe(400);
  });

  it('logging in from a page returns there; the page is checked when stored and again when used (O6)', async () => {
    const anon = await supertest(stack.url).get('/liked').expect(401);
    expect(anon.text).toContain('href="/login?next=%2Fliked"');
    for (const [next, expected] of [['/liked', '/liked'], ['/search?q=clip&sort=newest', '/search?q=clip&sort=newest'],
      ['//evil.example/x', '/'], ['https://evil.example/', '/'], ['/\\evil.example', '/']] as const) {
      const agent = stack.agent();
      const start = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(302);
      const state = new URL(start.headers.location as string).searchParams.get('state');
      const res = await agent.post('/auth/token').set('Accept', 'application/json')
        .send({ access_token: stack.sandbox.issueToken('ada_maker'), state }).expect(200);
      expect(res.body.next).toBe(expected);
    }
    // The pasted-token way too.
    const agent = stack.agent();
    const form = await agent.get('/login/token?next=%2Fliked').expect(200);
    const done = await agent.post('/login/token').type('form')
      .send({ state: /name="state" value="([^"]+)"/.exec(form.text)![1], access_token: stack.sandbox.issueToken('ada_maker') }).expect(303);
    expect(done.headers.location).toBe('/liked');
  });

  it('every answer to a logged-in user is no-store, error pages included (S10)', async () => {
    const agent = await stack.loginAs('ada_maker');
    for (const [path, status] of [['/no-such-page', 404], ['/things/abc', 400 as number]] as const) {
      const res = await agent.get(path);
      expect(res.status).toBeGreaterThanOrEqual(status === 404 ? 404 : 400);
      expect(res.text).toMatch(/Logged in as/);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('code flow (client secret configured)', () => {
  let code: Stack;
  beforeAll(async () => {
    code = await startStack({ flow: 'code' });
  });
  afterAll(() => code.close());
  beforeEach(() => code.reset());

  it('asks for response_type=code and exchanges the code on the server', async () => {
    const agent = code.agent();
    const start = await agent.get('/login').expect(302);
    expect(new URL(start.headers.location as string).searchParams.get('response_type')).toBe('code');
    const back = new URL(await consent(start.headers.location as string, 'bram_prints'));
    expect(back.searchParams.get('code')).toBeTruthy();
    const done = await agent.get(back.pathname + back.search).expect(303);
    expect(done.headers.location).toBe('/');
    expect((await agent.get('/')).text).toMatch(/Logged in as/);
  });

  it('refuses a wrong state before exchanging the code', async () => {
    const agent = code.agent();
    const start = await agent.get('/login');
    const back = new URL(await consent(start.headers.location as string, 'bram_prints'));
    const mark = code.sandbox.requests().length;
    const res = await agent.get(`/callback?code=${back.searchParams.get('code')}&state=wrong`);
    expect(res.status).toBe(400);
    expect(code.sandbox.requests().slice(mark).filter((r) => r.url.includes('access_token'))).toHaveLength(0);
  });

  it('a reused code fails cleanly with 400', async () => {
    const agent = code.agent();
    const start = await agent.get('/login');
    const back = new URL(await consent(start.headers.location as string, 'bram_prints'));
    await agent.get(back.pathname + back.search).expect(303);
    const again = code.agent();
    const start2 = await again.get('/login');
    const state2 = new URL(start2.headers.location as string).searchParams.get('state');
    const res = await again.get(`/callback?code=${back.searchParams.get('code')}&state=${state2}`);
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*\.ts:/);
  });
});

describe('pasted token: GET and POST /login/token', () => {
  it('logs in with a token pasted into the form', async () => {
    const agent = stack.agent();
    const form = await agent.get('/login/token').expect(200);
    const state = /name="state" value="([^"]+)"/.exec(form.text)?.[1];
    expect(state).toBeTruthy();
    expect(form.text).toMatch(/<label for="access_token">/);
    const res = await agent.post('/login/token').type('form').send({ state, access_token: stack.sandbox.issueToken('cleo_collects') }).expect(303);
    expect(res.headers.location).toBe('/');
    expect((await agent.get('/')).text).toMatch(/Logged in as/);
  });

  it("its link gets a token shown in the sandbox's address bar, the tutorial way", async () => {
    const form = await stack.agent().get('/login/token').expect(200);
    const link = /href="([^"]+)" rel="noopener noreferrer" target="_blank">the Thingiverse authorization page/.exec(form.text)?.[1]
      .replace(/&amp;/g, '&') as string;
    const url = new URL(link);
    expect(url.searchParams.get('response_type')).toBe('token');
    expect(url.searchParams.get('redirect_uri')).toBe(`${stack.sandboxUrl}/token-display`);
    const back = new URL(await consent(link, 'ada_maker'));
    expect(`${back.origin}${back.pathname}`).toBe(`${stack.sandboxUrl}/token-display`);
    expect(new URLSearchParams(back.hash.slice(1)).get('access_token')).toMatch(/^[0-9a-f]{32}$/);
    const page = await supertest(back.origin).get(back.pathname).expect(200);
    expect(page.text).toMatch(/#access_token=/);
  });

  it('refuses a pasted token without the form state', async () => {
    const agent = stack.agent();
    await agent.get('/login/token');
    const res = await agent.post('/login/token').type('form').send({ access_token: stack.sandbox.issueToken('cleo_collects') });
    expect(res.status).toBe(400);
    expect(await isLoggedIn(agent)).toBe(false);
  });
});

describe('POST /logout', () => {
  it('is not reachable with GET', async () => {
    const agent = await stack.loginAs('ada_maker');
    expect((await agent.get('/logout')).status).toBe(404);
    expect(await isLoggedIn(agent)).toBe(true);
  });

  it('needs the CSRF token, then destroys the session and clears the cookie (S4)', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const page = await supertest(stack.url).get('/').set('Cookie', cookie);
    expect(page.text).toMatch(/Logged in as/);
    const refused = await supertest(stack.url).post('/logout').set('Cookie', cookie).type('form').send({});
    expect(refused.status).toBe(403);
    const res = await supertest(stack.url).post('/logout').set('Cookie', cookie).type('form').send({ _csrf: csrfFrom(page.text) }).expect(303);
    expect(res.headers.location).toBe('/?bye=1');
    expect(res.headers['cache-control']).toBe('no-store');
    expect((res.headers['set-cookie'] as unknown as string[]).join()).toMatch(/tvl\.sid=;.*Expires=Thu, 01 Jan 1970/);
    // Replaying the old cookie finds no session: it was destroyed on the server.
    const replay = await supertest(stack.url).get('/').set('Cookie', cookie);
    expect(replay.text).not.toMatch(/Logged in as/);
  });
});

describe('restart', () => {
  it('keeps a user logged in across an app restart (sessions in SQLite)', async () => {
    const first = await startStack();
    const jar = await first.loginCookie('ada_maker');
    expect((await supertest(first.url).get('/').set('Cookie', jar)).text).toMatch(/Logged in as/);
    await first.closeApp();
    const second = await startStack({ dataDir: first.dataDir, existingSandbox: { sandbox: first.sandbox, url: first.sandboxUrl, port: Number(new URL(first.sandboxUrl).port) } });
    try {
      const again = await supertest(second.url).get('/').set('Cookie', jar);
      expect(again.text).toMatch(/Logged in as/);
    } finally {
      await second.closeApp();
      await first.close().catch(() => undefined);
    }
  });
});
