// Sandbox contract: the website's OAuth endpoints (authorize + consent, code exchange, tokeninfo).
import { beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createSandbox } from '../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const C = SANDBOX_CLIENT;
const CALLBACK = C.redirectUris[0];
let clock = 1_700_000_000_000;
const sb = createSandbox({ now: () => clock, codeTtlMs: 60_000 });
const app = sb.app;

beforeEach(() => {
  sb.reset();
  clock = 1_700_000_000_000;
});

const authorizeForm = (extra: Record<string, string>) =>
  request(app)
    .post('/login/oauth/authorize')
    .type('form')
    .send({ client_id: C.clientId, redirect_uri: CALLBACK, user: 'ada_maker', decision: 'allow', ...extra });

/** Runs the code flow's consent step and returns the issued code. */
async function getCode(user = 'ada_maker'): Promise<string> {
  const res = await authorizeForm({ response_type: 'code', user }).expect(302);
  return new URL(res.headers['location']!).searchParams.get('code')!;
}

const exchange = (code: string, extra: Record<string, string> = {}) =>
  request(app)
    .post('/login/oauth/access_token')
    .type('form')
    .send({ client_id: C.clientId, client_secret: C.clientSecret, code, ...extra });

describe('GET /login/oauth/authorize', () => {
  it('refuses an unknown client_id with a 400 HTML page and no redirect', async () => {
    const res = await request(app).get('/login/oauth/authorize').query({ client_id: 'nope', redirect_uri: CALLBACK });
    expect(res.status).toBe(400);
    expect(res.headers['location']).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Unknown client_id');
  });

  it('refuses a redirect_uri that is not registered, even on the same host', async () => {
    for (const uri of ['http://evil.example/callback', `${CALLBACK}/extra`, 'http://localhost:3000/callback?x=1']) {
      const res = await request(app).get('/login/oauth/authorize').query({ client_id: C.clientId, redirect_uri: uri });
      expect(res.status).toBe(400);
      expect(res.headers['location']).toBeUndefined();
    }
  });

  it('renders the consent page with every demo user, the app name and hidden fields', async () => {
    const res = await request(app)
      .get('/login/oauth/authorize')
      .query({ client_id: C.clientId, redirect_uri: CALLBACK, response_type: 'token', state: 'st<1>' });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Allow ${C.name} to access your account?`);
    expect(res.text).toContain('Signed in to the Thingiverse sandbox as');
    for (const u of sb.users()) expect(res.text).toContain(`<option value="${u.name}">${u.name} (${u.likeCount.toLocaleString('en-US')} likes)</option>`);
    expect(res.text).toContain('cleo_collects (1,200 likes)');
    expect(res.text).toContain('<input type="hidden" name="state" value="st&lt;1&gt;">');
    expect(res.text).toContain('<input type="hidden" name="response_type" value="token">');
    expect(res.text).toMatch(/<button type="submit" name="decision" value="allow">Authorize<\/button>/);
    expect(res.text).toMatch(/<button type="submit" name="decision" value="deny">Deny<\/button>/);
    expect(res.text).not.toMatch(/<script/i);
  });

  it("sets a CSP whose form-action allows 'self' and the redirect_uri's origin", async () => {
    const res = await request(app).get('/login/oauth/authorize').query({ client_id: C.clientId });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/form-action 'self' http:\/\/localhost:3000(;|$)/);
    expect(csp).toContain("default-src 'none'");
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(res.text).toContain(`<style nonce="${nonce}">`);
  });

  it('uses the first registered redirect_uri when none is given, and defaults response_type to code', async () => {
    const res = await request(app).get('/login/oauth/authorize').query({ client_id: C.clientId });
    expect(res.text).toContain(`name="redirect_uri" value="${CALLBACK}"`);
    expect(res.text).toContain('name="response_type" value="code"');
    expect(res.text).not.toContain('name="state"');
  });

  it('redirects with error=unsupported_response_type for other response types', async () => {
    const res = await request(app).get('/login/oauth/authorize').query({ client_id: C.clientId, response_type: 'id_token', state: 's1' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers['location']!);
    expect(loc.origin + loc.pathname).toBe(CALLBACK);
    expect(loc.searchParams.get('error')).toBe('unsupported_response_type');
    expect(loc.searchParams.get('state')).toBe('s1');
  });
});

describe('POST /login/oauth/authorize', () => {
  it('Authorize in the token flow puts access_token, token_type=bearer and state in the fragment', async () => {
    const res = await authorizeForm({ response_type: 'token', state: 'a b&c' }).expect(302);
    const [base, fragment] = res.headers['location']!.split('#');
    expect(base).toBe(CALLBACK);
    const params = new URLSearchParams(fragment);
    expect(params.get('access_token')).toMatch(/^[0-9a-f]{32}$/);
    expect(params.get('token_type')).toBe('bearer');
    expect(params.get('state')).toBe('a b&c');
    const me = await request(app).get('/users/me').set('Authorization', `Bearer ${params.get('access_token')}`);
    expect(me.body.name).toBe('ada_maker');
  });

  it('leaves state out when none was given', async () => {
    const res = await authorizeForm({ response_type: 'token' }).expect(302);
    expect(new URLSearchParams(res.headers['location']!.split('#')[1]).has('state')).toBe(false);
  });

  it('Authorize in the code flow puts code and state in the query', async () => {
    const res = await authorizeForm({ response_type: 'code', state: 'xyz' }).expect(302);
    const loc = new URL(res.headers['location']!);
    expect(loc.origin + loc.pathname).toBe(CALLBACK);
    expect(loc.hash).toBe('');
    expect(loc.searchParams.get('code')).toMatch(/^[0-9a-f]{20,}$/);
    expect(loc.searchParams.get('state')).toBe('xyz');
  });

  it('Deny sends error=access_denied in the fragment (token flow) and in the query (code flow)', async () => {
    const token = await authorizeForm({ response_type: 'token', decision: 'deny', state: 's' }).expect(302);
    expect(token.headers['location']).toBe(`${CALLBACK}#error=access_denied&state=s`);
    const code = await authorizeForm({ response_type: 'code', decision: 'deny', state: 's' }).expect(302);
    expect(code.headers['location']).toBe(`${CALLBACK}?error=access_denied&state=s`);
    expect(sb.requests().length).toBe(2);
  });

  it('re-validates the client and redirect_uri, and refuses unknown users', async () => {
    await authorizeForm({ client_id: 'nope' }).expect(400);
    const foreign = await authorizeForm({ redirect_uri: 'http://evil.example/cb' });
    expect(foreign.status).toBe(400);
    expect(foreign.headers['location']).toBeUndefined();
    await authorizeForm({ user: 'FablePrint-not-a-demo-user' }).expect(400);
    await authorizeForm({ decision: 'maybe' }).expect(400);
  });
});

describe('POST /login/oauth/access_token', () => {
  it('exchanges a code for a form-encoded token by default', async () => {
    const res = await exchange(await getCode('bram_prints')).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const body = new URLSearchParams(res.text);
    expect(body.get('access_token')).toMatch(/^[0-9a-f]{32}$/);
    expect(body.get('token_type')).toBe('bearer');
    const me = await request(app).get('/users/me').query({ access_token: body.get('access_token')! });
    expect(me.body.name).toBe('bram_prints');
  });

  it('answers JSON when Accept includes application/json', async () => {
    const res = await exchange(await getCode()).set('Accept', 'application/json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'token_type']);
    expect(res.body.token_type).toBe('bearer');
  });

  it('takes its parameters from the query string or a JSON body too', async () => {
    const viaQuery = await request(app)
      .post('/login/oauth/access_token')
      .query({ client_id: C.clientId, client_secret: C.clientSecret, code: await getCode() });
    expect(viaQuery.status).toBe(200);
    const viaJson = await request(app)
      .post('/login/oauth/access_token')
      .send({ client_id: C.clientId, client_secret: C.clientSecret, code: await getCode(), grant_type: 'authorization_code', redirect_uri: CALLBACK });
    expect(viaJson.status).toBe(200);
    expect(new URLSearchParams(viaJson.text).get('access_token')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts a code only once', async () => {
    const code = await getCode();
    await exchange(code).expect(200);
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant' });
  });

  it('expires codes after codeTtlMs', async () => {
    const fresh = await getCode();
    const stale = await getCode();
    clock += 59_999;
    await exchange(fresh).expect(200);
    clock += 1;
    expect((await exchange(stale)).body).toEqual({ error: 'invalid_grant' });
  });

  it('binds the code to the redirect_uri it was issued for', async () => {
    const res = await exchange(await getCode(), { redirect_uri: 'http://localhost:3000/other' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant' });
  });

  it('answers 401 invalid_client for a wrong secret or unknown client, and 400 for junk codes', async () => {
    const code = await getCode();
    const wrong = await exchange(code, { client_secret: 'x'.repeat(32) });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid_client' });
    expect((await exchange(code, { client_id: 'other' })).status).toBe(401);
    expect((await exchange('not-a-code')).body).toEqual({ error: 'invalid_grant' });
    expect((await exchange(code, { grant_type: 'password' })).body).toEqual({ error: 'unsupported_grant_type' });
    await exchange(code).expect(200); // the failed attempts above did not burn it
  });
});

describe('POST /login/oauth/tokeninfo', () => {
  it('reports audience and user_id (a string) for a user token, from query, form or JSON', async () => {
    const token = sb.issueToken('cleo_collects');
    const id = String(sb.users().find((u) => u.name === 'cleo_collects')!.id);
    const want = { audience: C.clientId, user_id: id };
    expect((await request(app).post('/login/oauth/tokeninfo').query({ access_token: token })).body).toEqual(want);
    expect((await request(app).post('/login/oauth/tokeninfo').type('form').send({ access_token: token })).body).toEqual(want);
    expect((await request(app).post('/login/oauth/tokeninfo').send({ access_token: token })).body).toEqual(want);
  });

  it('reports user_id "0" for the App Token', async () => {
    const res = await request(app).post('/login/oauth/tokeninfo').query({ access_token: C.appToken });
    expect(res.body).toEqual({ audience: C.clientId, user_id: '0' });
  });

  it('answers 400 {"error":"invalid token"} for unknown, revoked or missing tokens', async () => {
    const token = sb.issueToken('ada_maker');
    sb.revokeToken(token);
    for (const q of [{ access_token: 'f'.repeat(32) }, { access_token: token }, {}]) {
      const res = await request(app).post('/login/oauth/tokeninfo').query(q);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid token' });
    }
  });
});
