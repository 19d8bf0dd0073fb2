// Sandbox contract: the rate-limit window is the real 300 per 5 minutes by default, and tests and the
// bench can scale it down (option or control route), e.g. 30 calls per 3 s over several windows.
// A fake clock moves the windows, so nothing here waits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, listen, type Listening } from '../src/sandbox/index.js';
import { RATE_LIMIT_TEXT, SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import type { Sandbox } from '../src/sandbox/types.js';

let clock = 1_700_000_000_000;
const now = () => clock;
const real = createSandbox({ now });
const scaled = createSandbox({ now, rateLimit: { limit: 30, windowMs: 3000 } });
let realServer: Listening;
let scaledServer: Listening;

const call = async (server: Listening, token: string = SANDBOX_CLIENT.appToken) => {
  const res = await fetch(`${server.url}/popular?per_page=1`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
};
/** How many of `n` calls got through. */
const allowed = async (server: Listening, n: number, token?: string) => {
  let ok = 0;
  for (let i = 0; i < n; i++) if ((await call(server, token)).status === 200) ok += 1;
  return ok;
};
const control = async (server: Listening, method: string, body?: unknown) => {
  const res = await fetch(`${server.url}/__sandbox/rate-limit`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  realServer = await listen(real);
  scaledServer = await listen(scaled);
});
afterAll(async () => {
  await realServer.close();
  await scaledServer.close();
});
beforeEach(() => {
  clock = 1_700_000_000_000;
  for (const s of [real, scaled] as Sandbox[]) s.reset();
});

describe('the default window', () => {
  // (300 real calls would cost seconds here; the counting itself is proven on the scaled window below.)
  it('is the real 300 per 5 minutes', async () => {
    expect(real.rateLimit()).toEqual({ limit: 300, windowMs: 300_000 });
    expect((await control(realServer, 'GET')).body).toEqual({ limit: 300, windowMs: 300_000 });
    real.addFault({ kind: 'ratelimit', route: 'GET /popular', times: 1 });
    const over = await call(realServer);
    expect([over.status, over.retryAfter, over.text]).toEqual([429, '300', RATE_LIMIT_TEXT]);
  });
});

describe('a scaled-down window', () => {
  it('rateLimit: {limit: 30, windowMs: 3000} allows 30 per 3 s window, over several windows', async () => {
    let total = 0;
    for (let w = 0; w < 4; w++) {
      const got = await allowed(scaledServer, 31);
      expect([w, got]).toEqual([w, 30]);
      total += got;
      const over = await call(scaledServer);
      expect([over.status, over.retryAfter]).toEqual([429, '3']);
      clock += 3000;
    }
    expect(total).toBe(120);
  });

  it('PUT /__sandbox/rate-limit scales a running sandbox, starts counting afresh, and reset() restores the option', async () => {
    expect(await allowed(realServer, 5)).toBe(5);
    expect(await control(realServer, 'PUT', { limit: 3, windowMs: 2000 })).toEqual({ status: 200, body: { limit: 3, windowMs: 2000 } });
    expect(await allowed(realServer, 5)).toBe(3);
    expect((await call(realServer)).retryAfter).toBe('2');
    clock += 2000;
    expect(await allowed(realServer, 5)).toBe(3);
    real.reset();
    expect(real.rateLimit()).toEqual({ limit: 300, windowMs: 300_000 });
    expect(await allowed(realServer, 5)).toBe(5);
  });

  it('counts per token in the scaled window too', async () => {
    await control(scaledServer, 'PUT', { limit: 2, windowMs: 1000 });
    const ada = scaled.issueToken('ada_maker');
    expect([await allowed(scaledServer, 3), await allowed(scaledServer, 3, ada)]).toEqual([2, 2]);
  });

  it('an injected ratelimit fault says Retry-After = the window in force', async () => {
    scaled.setRateLimit({ limit: 100, windowMs: 7000 });
    scaled.addFault({ kind: 'ratelimit', route: 'GET /popular', times: 1 });
    expect((await call(scaledServer)).retryAfter).toBe('7');
  });

  it('refuses a bad budget with a 400 (control) or a TypeError (handle and option)', async () => {
    for (const body of [{ limit: 0, windowMs: 1000 }, { limit: 5 }, { limit: 1.5, windowMs: 1000 }, { limit: 5, windowMs: -1 }, { limit: '5', windowMs: 1000 }]) {
      const res = await control(scaledServer, 'PUT', body);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.body['error']).toMatch(/^rateLimit\.(limit|windowMs) must be/);
    }
    expect(() => scaled.setRateLimit({ limit: 0, windowMs: 5 })).toThrow(TypeError);
    expect(() => createSandbox({ rateLimit: { limit: 10, windowMs: 0 } })).toThrow(/windowMs must be/);
    expect(scaled.rateLimit()).toEqual({ limit: 30, windowMs: 3000 });
  });
});
