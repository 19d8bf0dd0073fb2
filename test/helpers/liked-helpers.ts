// Shared by the liked/export/import test files: a logged-in user of the real stack, waiting
// on the liked index's own signal (the page stops saying "Updating") rather than on time.
import supertest from 'supertest';
import { csrfFrom, type Stack } from './stack.js';

export interface LikedUser {
  cookie: string;
  get(path: string): supertest.Test;
  /** A form POST with the session's CSRF token added. */
  post(path: string, fields: Record<string, string>): Promise<supertest.Response>;
  /** GET /liked until no refresh is running; returns the last page's HTML. */
  settled(path?: string): Promise<string>;
  csrf(): Promise<string>;
}

export const cardIds = (html: string) => [...html.matchAll(/<article class="card" id="thing-(\d+)">/g)].map((m) => Number(m[1]));

export async function likedUser(stack: Stack, name: string): Promise<LikedUser> {
  const cookie = await stack.loginCookie(name);
  const get = (path: string) => supertest(stack.url).get(path).set('Cookie', cookie);
  const user: LikedUser = {
    cookie,
    get,
    async csrf() {
      return csrfFrom((await get('/liked/import').expect(200)).text);
    },
    async post(path, fields) {
      return supertest(stack.url).post(path).set('Cookie', cookie).type('form').send({ _csrf: await user.csrf(), ...fields });
    },
    async settled(path = '/liked') {
      const until = Date.now() + 10_000;
      for (;;) {
        const html = (await get(path).expect(200)).text;
        if (!html.includes('Updating from Thingiverse')) return html;
        if (Date.now() > until) throw new Error('the liked index is still refreshing');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  return user;
}
