// The routes of the fault suites: how to reach each upstream call through the app. Every
// case gets a fresh load user, so one case's backoff or like state cannot leak into the next.
import supertest from 'supertest';
import type { Response } from 'supertest';
import { consent, csrfFrom, sessionCookie, type Stack } from './stack.js';
import { logInWithToken } from './login.js';

export interface Ctx {
  stack: Stack;
  user: string;
  token: string;
  /** Session cookie: logged in for app routes, the pre-login session for login steps. */
  cookie: string;
  thingId: number;
  state?: string;
  code?: string;
  csrf?: string;
}

export interface RouteCase {
  name: string;
  /** The sandbox route the fault is put on. */
  upstream: string;
  kind: 'page' | 'write' | 'login';
  format: 'html' | 'json';
  success: number;
  /** What the app's log line must say. */
  method: string;
  path: (ctx: Ctx) => string;
  prepare(ctx: Ctx): Promise<void>;
  send(ctx: Ctx): Promise<Response>;
}

const accept = (format: 'html' | 'json') => (format === 'json' ? 'application/json' : 'text/html');

async function loggedIn(ctx: Ctx): Promise<void> {
  ctx.cookie = await logInWithToken(ctx.stack.url, ctx.token);
  ctx.csrf = csrfFrom((await supertest(ctx.stack.url).get('/').set('Cookie', ctx.cookie).expect(200)).text);
}

async function preLogin(ctx: Ctx): Promise<void> {
  const start = await supertest(ctx.stack.url).get('/login').expect(302);
  ctx.cookie = sessionCookie(start.headers['set-cookie']);
  ctx.state = new URL(start.headers.location as string).searchParams.get('state') as string;
}

const page = (path: string, format: 'html' | 'json'): Omit<RouteCase, 'name' | 'upstream'> => ({
  kind: 'page', format, success: 200, method: 'GET', path: () => path.split('?')[0],
  prepare: loggedIn,
  send: (ctx) => supertest(ctx.stack.url).get(path).set('Cookie', ctx.cookie).set('Accept', accept(format)),
});

const write = (liked: boolean, format: 'html' | 'json'): Omit<RouteCase, 'name' | 'upstream'> => ({
  kind: 'write', format, success: format === 'json' ? 200 : 303, method: 'POST',
  path: (ctx) => `/things/${ctx.thingId}/${liked ? 'like' : 'unlike'}`,
  async prepare(ctx) {
    // Unlike needs something to unlike: like it straight at the sandbox first.
    if (!liked) await supertest(ctx.stack.sandboxUrl).post(`/things/${ctx.thingId}/likes`).set('Authorization', `Bearer ${ctx.token}`).expect(200);
    await loggedIn(ctx);
  },
  send: (ctx) => supertest(ctx.stack.url).post(`/things/${ctx.thingId}/${liked ? 'like' : 'unlike'}`).set('Cookie', ctx.cookie)
    .set('Accept', accept(format)).type('form').send({ _csrf: ctx.csrf as string, returnTo: '/' }),
});

const tokenPost = (ctx: Ctx) => supertest(ctx.stack.url).post('/auth/token').set('Cookie', ctx.cookie)
  .set('Accept', 'application/json').send({ access_token: ctx.token, state: ctx.state });

export const ROUTES: RouteCase[] = [
  { name: 'GET / (popular)', upstream: 'GET /popular', ...page('/?page=2', 'html') },
  { name: 'GET /liked', upstream: 'GET /users/:name/likes', ...page('/liked', 'html') },
  { name: 'GET /liked (JSON)', upstream: 'GET /users/:name/likes', ...page('/liked', 'json') },
  { name: 'POST like (JSON)', upstream: 'POST /things/:id/likes', ...write(true, 'json') },
  { name: 'POST like (form)', upstream: 'POST /things/:id/likes', ...write(true, 'html') },
  { name: 'POST unlike (JSON)', upstream: 'DELETE /things/:id/likes', ...write(false, 'json') },
  {
    name: 'login: tokeninfo', upstream: 'POST /login/oauth/tokeninfo', kind: 'login', format: 'json', success: 200,
    method: 'POST', path: () => '/auth/token', prepare: preLogin, send: tokenPost,
  },
  {
    name: 'login: users/me', upstream: 'GET /users/me', kind: 'login', format: 'json', success: 200,
    method: 'POST', path: () => '/auth/token', prepare: preLogin, send: tokenPost,
  },
  {
    name: 'login: code exchange', upstream: 'POST /login/oauth/access_token', kind: 'login', format: 'html', success: 303,
    method: 'GET', path: () => '/callback',
    async prepare(ctx) {
      const start = await supertest(ctx.stack.url).get('/login').expect(302);
      ctx.cookie = sessionCookie(start.headers['set-cookie']);
      const back = new URL(await consent(start.headers.location as string, 'dara_new'));
      ctx.code = back.searchParams.get('code') as string;
      ctx.state = back.searchParams.get('state') as string;
    },
    send: (ctx) => supertest(ctx.stack.url).get(`/callback?code=${ctx.code}&state=${ctx.state}`).set('Cookie', ctx.cookie).set('Accept', 'text/html'),
  },
];
