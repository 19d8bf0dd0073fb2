// A like confirmed while a page view's read of the liked ids is still on its way: the read
// was taken before the like, so it must not overwrite the confirmed state in the snapshot
// (otherwise the page shows "Like" for up to the snapshot's 10 minutes while Thingiverse
// has it liked).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import supertest from 'supertest';
import type { Stack } from './helpers/stack.js';
import { csrfFrom } from './helpers/stack.js';
import { waitFor } from './helpers/wait.js';
import { logInWithToken } from './helpers/login.js';
import { faultStack, pickThing } from './helpers/fault-run.js';
import { openDb } from '../src/store/db.js';
import { LikeState } from '../src/store/like-state.js';

let stack: Stack;
let thingId: number;
beforeAll(async () => {
  stack = await faultStack();
  thingId = await pickThing(stack);
});
afterAll(() => stack.close());

const shownLiked = (html: string) => /class="(un)?like"/.exec(html.slice(html.indexOf(`id="thing-${thingId}"`)))?.[1] === 'un';

describe('the like snapshot under concurrency', () => {
  it.each([true, false])('liked=%p confirmed during a slow liked-ids read: the next page shows it', async (liked) => {
    const user = liked ? 'load_user_1' : 'load_user_2';
    const token = stack.sandbox.issueToken(user);
    if (!liked) await supertest(stack.sandboxUrl).post(`/things/${thingId}/likes`).set('Authorization', `Bearer ${token}`).expect(200);
    const cookie = await logInWithToken(stack.url, token);
    // /liked needs no snapshot, and its header form carries the session's CSRF token.
    const csrf = csrfFrom((await supertest(stack.url).get('/liked').set('Cookie', cookie).expect(200)).text);
    // The read is answered from the state before the write, then held back 200 ms (under the client's 300 ms timeout).
    stack.sandbox.addFault({ kind: 'latency', ms: 200, after: true, route: 'GET /users/:name/likesids', times: 1 });
    const mark = stack.sandbox.requests().length;
    const view = supertest(stack.url).get('/').set('Cookie', cookie).then((r) => r);
    // The read is in flight once the sandbox has it (it is answered 200 ms later).
    await waitFor('the liked-ids read to reach the sandbox', () =>
      stack.sandbox.requests().slice(mark).some((r) => r.url.includes('/likesids')));
    const write = await supertest(stack.url).post(`/things/${thingId}/${liked ? 'like' : 'unlike'}`).set('Cookie', cookie)
      .set('Accept', 'application/json').type('form').send({ _csrf: csrf });
    expect(write.body).toEqual({ id: thingId, liked, reconciled: false, savedHere: true });
    expect((await view).status).toBe(200);
    expect(stack.sandbox.likedIds(user).includes(thingId)).toBe(liked);
    const next = await supertest(stack.url).get('/').set('Cookie', cookie).expect(200);
    expect(shownLiked(next.text)).toBe(liked);
  });

  it('LikeState.replace drops a read taken before a change, and keeps the snapshot due', () => {
    const state = new LikeState(openDb(':memory:'));
    const since = state.version(7);
    state.set(7, 100, true); // confirmed while the read was on its way
    expect(state.replace(7, [200], since)).toBe(false);
    expect(state.likedAmong(7, [100, 200])).toEqual(new Set([100]));
    expect(state.isFresh(7, 60_000)).toBe(false);
    expect(state.replace(7, [100, 200], state.version(7))).toBe(true);
    expect(state.isFresh(7, 60_000)).toBe(true);
    state.invalidate(7);
    expect(state.replace(7, [], since)).toBe(false);
  });
});
