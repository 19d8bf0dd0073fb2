// The shared world of the hostile-input suite: one code-flow stack with a movable clock, two
// logged-in users (A, B) with their CSRF tokens, and ways to start a login. Case tables live
// in test/hostile/*.ts; test/hostile-input.test.ts runs them all.
import supertest from 'supertest';
import type { Response, Test } from 'supertest';
import { startStack, csrfFrom, sessionCookie, type Stack } from './stack.js';

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Hostile {
  stack: Stack;
  url: string;
  a: Session;
  b: Session;
  /** A thing on page 1 that A may like. */
  thingId: number;
  /** Added to the app's clock (expired-state cases). */
  skewMs: number;
  req(): ReturnType<typeof supertest>;
  /** GET /login: a pre-login session cookie and its one-time state. */
  preLogin(): Promise<{ cookie: string; state: string; location: string }>;
  /** GET /login/token: the paste form's session and state. */
  pasteLogin(): Promise<{ cookie: string; state: string }>;
}

export interface HostileCase {
  name: string;
  /** Anything the request needs first (its upstream calls are not counted). */
  prepare?: (h: Hostile) => Promise<Record<string, string>>;
  send: (h: Hostile, p: Record<string, string>) => Test | Promise<Response>;
  /** Default: any 4xx. */
  status?: number | number[];
  /** 'none' (default): refused by the app, so zero upstream calls. */
  upstream?: 'none' | 'allowed';
  check?: (res: Response) => void;
}

export async function hostileWorld(): Promise<Hostile> {
  const clock = { skew: 0 };
  const stack = await startStack({ flow: 'code', now: () => Date.now() + clock.skew });
  const session = async (user: string): Promise<Session> => {
    const cookie = await stack.loginCookie(user);
    const home = await supertest(stack.url).get('/').set('Cookie', cookie).expect(200);
    return { cookie, csrf: csrfFrom(home.text) };
  };
  const a = await session('ada_maker');
  const b = await session('bram_prints');
  const home = await supertest(stack.url).get('/').set('Cookie', a.cookie);
  const thingId = Number(/id="thing-(\d+)"/.exec(home.text)?.[1]);
  return {
    stack, url: stack.url, a, b, thingId,
    get skewMs() { return clock.skew; },
    set skewMs(v: number) { clock.skew = v; },
    req: () => supertest(stack.url),
    async preLogin() {
      const start = await supertest(stack.url).get('/login').expect(302);
      const location = start.headers.location as string;
      return { cookie: sessionCookie(start.headers['set-cookie']), state: new URL(location).searchParams.get('state') as string, location };
    },
    async pasteLogin() {
      const form = await supertest(stack.url).get('/login/token').expect(200);
      const state = /name="state" value="([^"]+)"/.exec(form.text)?.[1] as string;
      return { cookie: sessionCookie(form.headers['set-cookie']), state };
    },
  };
}
