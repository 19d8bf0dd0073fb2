// Sandbox contract: the per-token rate limit, the request log and the /__sandbox control API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { REQUEST_LOG_SIZE } from '../src/sandbox/state.js';
import { createSandbox, listen, type Listening } from '../src/sandbox/index.js';
import { RATE_LIMIT_TEXT, SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

let clock = 1_700_000_000_000;
const sb = createSandbox({ rateLimit: { limit: 3, windowMs: 60_000 }, now: () => clock });
const APP: string = SANDBOX_CLIENT.appToken;
const popular = (token = APP) => request(sb.app).get('/popular?per_page=1').set('Authorization', `Bearer ${token}`);

beforeEach(() => {
  sb.reset();
  clock = 1_700_000_000_000;
});

describe('rate limit', () => {
  it('answers the 4th call in a window with 429, text/plain, the exact 113-byte body and Retry-After', async () => {
    for (let i = 0; i < 3; i++) await popular().expect(200);
    clock += 15_000;
    const res = await popular();
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(RATE_LIMIT_TEXT);
    expect(Buffer.byteLength(res.text)).toBe(113);
    expect(res.headers['retry-after']).toBe('45');
  });

  it('frees the budget when the window ends, and counts per token', async () => {
    for (let i = 0; i < 4; i++) await popular();
    await popular(sb.issueToken('ada_maker')).expect(200);
    clock += 59_999;
    expect((await popular()).status).toBe(429);
    clock += 1;
    await popular().expect(200);
  });

  it('counts OAuth calls but not the consent page, images or /__sandbox', async () => {
    const token = sb.issueToken('ada_maker');
    for (let i = 0; i < 5; i++) {
      await request(sb.app).get('/login/oauth/authorize').query({ client_id: SANDBOX_CLIENT.clientId }).expect(200);
      await request(sb.app).get('/img/things/1399462.svg').expect(200);
      await request(sb.app).get('/__sandbox/users/ada_maker/likesids').expect(200);
    }
    await request(sb.app).post('/login/oauth/tokeninfo').query({ access_token: token }).expect(200);
    await request(sb.app).post('/login/oauth/tokeninfo').type('form').send({ access_token: token }).expect(200);
    await popular(token).expect(200);
    const over = await request(sb.app).post('/login/oauth/tokeninfo').query({ access_token: token });
    expect(over.status).toBe(429);
    expect(over.text).toBe(RATE_LIMIT_TEXT);
  });

  it('leaves Retry-After out when retryAfterHeader is false', async () => {
    const quiet = createSandbox({ rateLimit: { limit: 1, windowMs: 1000 }, retryAfterHeader: false });
    await request(quiet.app).get('/popular').query({ access_token: APP }).expect(200);
    const res = await request(quiet.app).get('/popular').query({ access_token: APP });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('defaults to 300 requests per 5 minutes', async () => {
    const big = createSandbox({ now: () => clock });
    for (let i = 0; i < 300; i++) await request(big.app).get('/nope').query({ access_token: APP }).expect(404);
    const res = await request(big.app).get('/nope').query({ access_token: APP });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('300');
  });
});

describe('request log', () => {
  it('records method, url as received, whether a Bearer header was sent (not its value), and the time', async () => {
    await popular();
    clock += 5;
    await request(sb.app).post('/things/1/likes').query({ access_token: 'secret-token' });
    expect(sb.requests()).toEqual([
      { method: 'GET', url: '/popular?per_page=1', bearer: true, at: 1_700_000_000_000 },
      { method: 'POST', url: '/things/1/likes?access_token=secret-token', bearer: false, at: 1_700_000_000_005 },
    ]);
  });

  it('keeps only the newest requests (5,000 by default; a log of 5 shown here)', async () => {
    const open = createSandbox({ requestLogSize: 5 });
    const server = await listen(open);
    try {
      for (let i = 0; i < 8; i++) await fetch(`${server.url}/n${i}`);
      expect(open.requests().map((r) => r.url)).toEqual(['/n3', '/n4', '/n5', '/n6', '/n7']);
    } finally {
      await server.close();
    }
    expect(REQUEST_LOG_SIZE).toBe(5000);
  });
});

describe('/__sandbox control API', () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen(sb);
  });
  afterAll(() => server.close());
  const ctl = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('adds, lists, removes and clears faults', async () => {
    const add = await ctl('POST', '/faults', { kind: 'status', status: 503, route: 'GET /popular', times: 2 });
    expect(add.status).toBe(201);
    const { id } = (await add.json()) as { id: number };
    expect(typeof id).toBe('number');
    await ctl('POST', '/faults', { kind: 'latency', ms: 5 });
    expect(await (await ctl('GET', '/faults')).json()).toEqual([
      { id, kind: 'status', status: 503, route: 'GET /popular', times: 2, remaining: 2 },
      { id: id + 1, kind: 'latency', ms: 5, remaining: null },
    ]);
    expect((await ctl('DELETE', `/faults/${id}`)).status).toBe(204);
    expect((await ctl('DELETE', `/faults/${id}`)).status).toBe(404);
    expect((await ctl('DELETE', '/faults')).status).toBe(204);
    expect(await (await ctl('GET', '/faults')).json()).toEqual([]);
  });

  it('refuses invalid fault rules with 400 and a reason', async () => {
    for (const bad of [
      { kind: 'explode' }, { kind: 'status', status: 200 }, { kind: 'latency' }, { kind: 'hang', ms: -1 },
      { kind: 'reset', route: 'popular' }, { kind: 'status', times: 0 }, { kind: 'status', after: 'yes' },
      { kind: 'status', colour: 'red' }, [], 'status',
    ]) {
      const res = await ctl('POST', '/faults', bad);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(typeof ((await res.json()) as { error: string }).error).toBe('string');
    }
    expect(() => sb.addFault({ kind: 'status', status: 99 })).toThrow(TypeError);
    expect(sb.addFault({ kind: 'status', route: '* /things/:id/likes' })).toBeGreaterThan(0);
  });

  it('mints tokens for a user, and 404s unknown users', async () => {
    const res = await ctl('POST', '/tokens', { username: 'Cleo_Collects' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect(body.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(body.token_type).toBe('bearer');
    const me = await fetch(`${server.url}/users/me`, { headers: { Authorization: `Bearer ${body.access_token}` } });
    expect(((await me.json()) as { name: string }).name).toBe('cleo_collects');
    expect((await ctl('POST', '/tokens', { username: 'nobody' })).status).toBe(404);
    expect((await ctl('POST', '/tokens', { username: 'ada_maker', client_id: 'other' })).status).toBe(400);
  });

  it('tells the truth about likes without counting, recording or faulting', async () => {
    sb.addFault({ kind: 'status', status: 500 });
    for (let i = 0; i < 5; i++) {
      const res = await ctl('GET', '/users/ada_maker/likesids');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(sb.likedIds('ada_maker'));
    }
    expect((await ctl('GET', '/users/nobody/likesids')).status).toBe(404);
    expect(await (await ctl('GET', '/users')).json()).toEqual(sb.users());
    expect(sb.requests()).toEqual([]);
    expect((await fetch(`${server.url}/popular`, { headers: { Authorization: `Bearer ${APP}` } })).status).toBe(500);
  });

  it('sets global latency with PUT /latency, and reset restores everything', async () => {
    expect((await ctl('PUT', '/latency', { ms: -5 })).status).toBe(400);
    expect(await (await ctl('PUT', '/latency', { ms: 150 })).json()).toEqual({ ms: 150 });
    let started = performance.now();
    await fetch(`${server.url}/popular?per_page=1&access_token=${APP}`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    sb.addFault({ kind: 'status' });
    expect((await ctl('POST', '/reset')).status).toBe(204);
    expect(await (await ctl('GET', '/faults')).json()).toEqual([]);
    started = performance.now();
    const res = await fetch(`${server.url}/popular?per_page=1&access_token=${APP}`);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(140);
    expect((await ctl('GET', '/nope')).status).toBe(404);
  });
});
