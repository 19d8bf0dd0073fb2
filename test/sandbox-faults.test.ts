// Sandbox contract: fault injection (every kind, times, order, after) and listen()'s socket handling.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitFor } from './helpers/wait.js';
import { createSandbox, listen, type Listening } from '../src/sandbox/index.js';
import { RATE_LIMIT_TEXT, SANDBOX_CLIENT } from '../src/sandbox/defaults.js';

const sb = createSandbox();
const APP: string = SANDBOX_CLIENT.appToken;
const THING = 1399462;
let server: Listening;
let ada = '';

beforeAll(async () => {
  server = await listen(sb);
});
afterAll(() => server.close());
beforeEach(() => {
  sb.reset();
  ada = sb.issueToken('ada_maker');
});

const popular = () => request(sb.app).get('/popular?per_page=1').set('Authorization', `Bearer ${APP}`);
const like = (method: 'POST' | 'DELETE' = 'POST', signal?: AbortSignal) =>
  fetch(`${server.url}/things/${THING}/likes`, { method, headers: { Authorization: `Bearer ${ada}` }, signal });

describe('answer-replacing faults', () => {
  it('status: the given status with a matching JSON error body; default 500', async () => {
    sb.addFault({ kind: 'status', status: 503, route: 'GET /popular', times: 1 });
    const res = await popular();
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ error: 'Service Unavailable' });
    sb.addFault({ kind: 'status', route: 'GET /popular' });
    expect((await popular()).body).toEqual({ error: 'Internal Server Error' });
  });

  it('only hits matching routes: :params, * method, trailing slash; never images or /__sandbox', async () => {
    sb.addFault({ kind: 'status', status: 502, route: '* /things/:id/likes' });
    expect((await request(sb.app).post(`/things/${THING}/likes`).set('Authorization', `Bearer ${ada}`)).status).toBe(502);
    expect((await request(sb.app).delete(`/things/${THING}/likes/`).set('Authorization', `Bearer ${ada}`)).status).toBe(502);
    expect((await request(sb.app).get(`/things/${THING}`).set('Authorization', `Bearer ${ada}`)).status).toBe(200);
    expect((await popular()).status).toBe(200);
    sb.addFault({ kind: 'status', status: 500 });
    expect((await popular()).status).toBe(500);
    expect((await request(sb.app).get(`/img/things/${THING}.svg`)).status).toBe(200);
    expect((await request(sb.app).get('/__sandbox/faults')).status).toBe(200);
  });

  it('times: expires after that many matching requests', async () => {
    sb.addFault({ kind: 'status', status: 500, route: 'GET /popular', times: 2 });
    await request(sb.app).get(`/things/${THING}`).set('Authorization', `Bearer ${APP}`).expect(200); // no match, not spent
    expect([(await popular()).status, (await popular()).status, (await popular()).status]).toEqual([500, 500, 200]);
    expect((await request(sb.app).get('/__sandbox/faults')).body).toEqual([]);
  });

  it('order: the first matching rule wins; latency rules before it still apply', async () => {
    sb.addFault({ kind: 'latency', ms: 120, times: 1 });
    sb.addFault({ kind: 'status', status: 504, route: 'GET /popular', times: 1 });
    sb.addFault({ kind: 'status', status: 501, route: 'GET /popular', times: 1 });
    const started = performance.now();
    expect((await popular()).status).toBe(504);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect((await popular()).status).toBe(501);
    expect((await popular()).status).toBe(200);
  });

  it('html403: a Cloudflare "Just a moment..." page', async () => {
    sb.addFault({ kind: 'html403', route: 'POST /login/oauth/tokeninfo' });
    const res = await request(sb.app).post('/login/oauth/tokeninfo').query({ access_token: ada });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>Just a moment...</title>');
    expect(res.text).not.toMatch(/<script/i);
  });

  it('malformed: 200 application/json whose body does not parse', async () => {
    sb.addFault({ kind: 'malformed', route: 'GET /things/:id' });
    const res = await fetch(`${server.url}/things/${THING}`, { headers: { Authorization: `Bearer ${APP}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(text.startsWith('{"id": 1, "name": ')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('ratelimit: the real 429 text with Retry-After (ms sets it)', async () => {
    sb.addFault({ kind: 'ratelimit', route: 'GET /popular', ms: 30_000, times: 1 });
    const res = await popular();
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(RATE_LIMIT_TEXT);
    expect(res.headers['retry-after']).toBe('30');
  });

  it('latency: answers normally, later', async () => {
    sb.addFault({ kind: 'latency', ms: 150, route: 'GET /popular' });
    const started = performance.now();
    const res = await popular();
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('connection faults over real HTTP', () => {
  it('reset: the connection drops without an answer', async () => {
    sb.addFault({ kind: 'reset', route: 'POST /things/:id/likes', times: 1 });
    await expect(like()).rejects.toThrow(/fetch failed/);
    expect(sb.likedIds('ada_maker')).not.toContain(THING);
    expect((await like()).status).toBe(200);
  });

  it('hang: no answer while it lasts, then the connection is dropped', async () => {
    sb.addFault({ kind: 'hang', route: 'GET /popular', ms: 400, times: 2 });
    const url = `${server.url}/popular?access_token=${APP}`;
    await expect(fetch(url, { signal: AbortSignal.timeout(150) })).rejects.toThrow(/aborted|timeout/i);
    const started = performance.now();
    await expect(fetch(url)).rejects.toThrow(/fetch failed/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
  });

  it('after: the like is stored, then the answer is replaced (status, reset, hang)', async () => {
    sb.addFault({ kind: 'status', status: 500, route: 'POST /things/:id/likes', after: true, times: 1 });
    expect((await like()).status).toBe(500);
    expect(sb.likedIds('ada_maker')[0]).toBe(THING);

    sb.addFault({ kind: 'reset', route: 'DELETE /things/:id/likes', after: true, times: 1 });
    await expect(like('DELETE')).rejects.toThrow(/fetch failed/);
    expect(sb.likedIds('ada_maker')).not.toContain(THING);

    sb.addFault({ kind: 'hang', route: 'POST /things/:id/likes', after: true, times: 1 });
    await expect(like('POST', AbortSignal.timeout(200))).rejects.toThrow(/aborted|timeout/i);
    expect(sb.likedIds('ada_maker')[0]).toBe(THING);
  });

  it('after with latency: the effect happens at once, the answer comes late', async () => {
    sb.addFault({ kind: 'latency', ms: 300, route: 'POST /things/:id/likes', after: true, times: 1 });
    let answered = false;
    const pending = like().then((r) => ((answered = true), r));
    await waitFor('the like to be applied', () => sb.likedIds('ada_maker')[0] === THING);
    expect(answered).toBe(false);
    expect((await pending).status).toBe(200);
  });

  it('close() ends a hanging request at once, so nothing is left open', async () => {
    const other = createSandbox();
    const s = await listen(other);
    other.addFault({ kind: 'hang' }); // default: 10 minutes
    const pending = fetch(`${s.url}/popular?access_token=${APP}`);
    await waitFor('the request to arrive', () => other.requests().length === 1);
    const started = performance.now();
    await s.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow(/fetch failed/);
    await expect(fetch(`${s.url}/popular`)).rejects.toThrow(/fetch failed/);
  });
});
