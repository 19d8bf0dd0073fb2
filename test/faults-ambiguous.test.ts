// Ambiguous writes: the like/unlike reached Thingiverse and was stored, but the answer was
// lost (reset, hang, 502 after the write). The app must not guess: it reads the state back,
// shows what Thingiverse has, and never sends the write a second time on its own.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import supertest from 'supertest';
import type { Stack } from './helpers/stack.js';
import type { FaultRule } from '../src/sandbox/types.js';
import { ROUTES, type Ctx } from './helpers/fault-routes.js';
import { faultStack, pickThing } from './helpers/fault-run.js';

let stack: Stack;
let thingId: number;
let n = 1; // a fresh load user per case
beforeAll(async () => {
  stack = await faultStack();
  thingId = await pickThing(stack);
});
afterAll(() => stack.close());

const route = (liked: boolean, json = true) => ROUTES.find((r) => r.name === `POST ${liked ? 'like' : 'unlike'} (${json ? 'JSON' : 'form'})`)!;

async function prepared(liked: boolean, json = true): Promise<Ctx> {
  const user = `load_user_${n++}`;
  const ctx: Ctx = { stack, user, token: stack.sandbox.issueToken(user), cookie: '', thingId };
  await route(liked, json).prepare(ctx);
  return ctx;
}

/** What the app's page shows for the thing: true = an Unlike button. */
async function shownLiked(ctx: Ctx): Promise<boolean> {
  const home = await supertest(stack.url).get('/').set('Cookie', ctx.cookie).expect(200);
  const card = home.text.slice(home.text.indexOf(`id="thing-${thingId}"`));
  return /class="(un)?like"/.exec(card)?.[1] === 'un';
}

const writesTo = (mark: number, method: string) =>
  stack.sandbox.requests().slice(mark).filter((r) => r.method === method && r.url === `/things/${thingId}/likes`);

const AFTER: [string, Omit<FaultRule, 'route'>][] = [
  ['reset after the write', { kind: 'reset', after: true, times: 1 }],
  ['hang after the write', { kind: 'hang', ms: 1500, after: true, times: 1 }],
  ['502 after the write', { kind: 'status', status: 502, after: true, times: 1 }],
];

describe('ambiguous writes are reconciled, never guessed or resent', () => {
  it.each(AFTER.flatMap(([name, rule]) => [true, false].map((liked) => [liked ? 'like' : 'unlike', name, liked, rule] as const)))(
    '%s, %s: confirms the real state, one write upstream, the page agrees',
    async (_v, _n, liked, rule) => {
      const ctx = await prepared(liked);
      const r = route(liked);
      const mark = stack.sandbox.requests().length;
      stack.sandbox.addFault({ ...rule, route: r.upstream });
      const res = await r.send(ctx);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: thingId, liked, reconciled: true, savedHere: true });
      expect(writesTo(mark, liked ? 'POST' : 'DELETE')).toHaveLength(1);
      expect(stack.sandbox.requests().slice(mark).filter((q) => q.method === 'GET' && q.url === `/things/${thingId}`)).toHaveLength(1);
      expect(stack.sandbox.likedIds(ctx.user).includes(thingId)).toBe(liked);
      expect(await shownLiked(ctx)).toBe(stack.sandbox.likedIds(ctx.user).includes(thingId));
    },
  );

  it('a browser form gets the confirmed result and a note that the app checked', async () => {
    const ctx = await prepared(true, false);
    stack.sandbox.addFault({ kind: 'reset', after: true, times: 1, route: 'POST /things/:id/likes' });
    const res = await route(true, false).send(ctx);
    expect(res.status).toBe(303);
    const home = await supertest(stack.url).get('/').set('Cookie', ctx.cookie).expect(200);
    expect(home.text).toMatch(/Thingiverse was slow to answer, so we checked/);
    expect(stack.sandbox.likedIds(ctx.user)).toContain(thingId);
  });

  it.each([true, false])('liked=%p: when the read-back fails too, says "could not confirm" and the next page shows the truth', async (liked) => {
    const ctx = await prepared(liked);
    const r = route(liked);
    expect(await shownLiked(ctx)).toBe(!liked); // the snapshot is fresh and shows the old state
    const mark = stack.sandbox.requests().length;
    stack.sandbox.addFault({ kind: 'reset', after: true, times: 1, route: r.upstream });
    stack.sandbox.addFault({ kind: 'status', status: 503, times: 1, route: 'GET /things/:id' });
    const res = await r.send(ctx);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: 'unavailable', unconfirmed: true, message: expect.stringMatching(/could not confirm/) });
    expect(writesTo(mark, liked ? 'POST' : 'DELETE')).toHaveLength(1);
    // The write did land; the app forgot its snapshot, so the next page reads and shows it.
    expect(stack.sandbox.likedIds(ctx.user).includes(thingId)).toBe(liked);
    expect(await shownLiked(ctx)).toBe(liked);
  });
});
