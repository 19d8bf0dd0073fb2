// Two tabs, one thing: Like in one and Unlike in the other, the Like's answer held back so the
// answers would arrive in reverse order. Thingiverse must end with the last intent and the page
// with what Thingiverse has (issue 8). And two identical posts at once make one upstream write.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import supertest from 'supertest';
import { csrfFrom, startStack, type Stack } from './helpers/stack.js';
import { waitFor } from './helpers/wait.js';
import { writesSince } from './helpers/bulk-helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeoutMs: 5000 });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

async function tab(cookie: string) {
  const page = await supertest(stack.url).get('/').set('Cookie', cookie).expect(200);
  const ids = [...page.text.matchAll(/id="thing-(\d+)"/g)].map((m) => Number(m[1]));
  const send = (id: number, action: 'like' | 'unlike') => supertest(stack.url).post(`/things/${id}/${action}`).set('Cookie', cookie)
    .set('Accept', 'application/json').type('form').send({ _csrf: csrfFrom(page.text) }).then((r) => r);
  return { ids, send };
}
const shownLiked = (html: string, id: number) => /class="(un)?like"/.exec(html.slice(html.indexOf(`id="thing-${id}"`)))?.[1] === 'un';
const writesTo = (mark: number, id: number) => stack.sandbox.requests().slice(mark)
  .filter((r) => r.url.endsWith(`/things/${id}/likes`) && (r.method === 'POST' || r.method === 'DELETE')).map((r) => r.method);

describe('overlapping writes to one thing', () => {
  it('like (slow answer) then unlike from another tab: Thingiverse and the page both end unliked', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const a = await tab(cookie);
    const id = a.ids.find((i) => !stack.sandbox.likedIds('ada_maker').includes(i))!;
    // The like is applied at once but its answer is held back 300 ms.
    stack.sandbox.addFault({ kind: 'latency', ms: 300, after: true, route: 'POST /things/:id/likes', times: 1 });
    const mark = stack.sandbox.requests().length;
    const like = a.send(id, 'like');
    await waitFor('the like to reach the sandbox', () => writesTo(mark, id).length === 1);
    const unlike = await a.send(id, 'unlike');
    const liked = await like;
    expect(liked.body).toMatchObject({ id, liked: true });
    expect(unlike.body).toMatchObject({ id, liked: false });
    // In the order asked: the unlike went out after the like was answered.
    expect(writesTo(mark, id)).toEqual(['POST', 'DELETE']);
    expect(stack.sandbox.likedIds('ada_maker')).not.toContain(id);
    const page = await supertest(stack.url).get('/').set('Cookie', cookie).expect(200);
    expect(shownLiked(page.text, id)).toBe(false);
  });

  it('two identical likes at once: one upstream write, both told it is liked', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const a = await tab(cookie);
    const id = a.ids.filter((i) => !stack.sandbox.likedIds('ada_maker').includes(i))[1]!;
    stack.sandbox.addFault({ kind: 'latency', ms: 150, route: 'POST /things/:id/likes', times: 1 });
    const mark = stack.sandbox.requests().length;
    const [one, two] = await Promise.all([a.send(id, 'like'), a.send(id, 'like')]);
    expect(one.body).toMatchObject({ id, liked: true });
    expect(two.body).toMatchObject({ id, liked: true });
    expect(writesSince(stack, mark).get(id)).toBe(1);
    expect(stack.sandbox.likedIds('ada_maker')).toContain(id);
  });
});
