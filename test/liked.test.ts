// GET /liked: the user's liked things, newest first, paginated upstream.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const ids = (html: string) => [...html.matchAll(/id="thing-(\d+)"/g)].map((m) => Number(m[1]));

describe('GET /liked', () => {
  it('asks to log in when logged out', async () => {
    const res = await supertest(stack.url).get('/liked');
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/href="\/login"/);
  });

  it("lists the user's liked things newest first, each with an Unlike button", async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const res = await supertest(stack.url).get('/liked').set('Cookie', cookie).expect(200);
    const truth = stack.sandbox.likedIds('ada_maker');
    expect(ids(res.text)).toEqual(truth.slice(0, 30));
    expect(res.text).not.toMatch(/class="like"/);
    expect((res.text.match(/>Unlike<span/g) ?? []).length).toBe(ids(res.text).length);
    expect(res.text).toMatch(/<a href="\/liked">Liked things<\/a>/);
  });

  it('shows a newly liked thing first, and unliking from the page returns to it', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    const home = await supertest(stack.url).get('/?page=4').set('Cookie', cookie);
    const id = ids(home.text).find((i) => !stack.sandbox.likedIds('ada_maker').includes(i)) as number;
    await supertest(stack.url).post(`/things/${id}/like`).set('Cookie', cookie).type('form').send({ _csrf: csrfFrom(home.text) }).expect(303);
    const liked = await supertest(stack.url).get('/liked').set('Cookie', cookie);
    expect(ids(liked.text)[0]).toBe(id);
    const res = await supertest(stack.url).post(`/things/${id}/unlike`).set('Cookie', cookie).type('form')
      .send({ _csrf: csrfFrom(liked.text), returnTo: '/liked' }).expect(303);
    expect(res.headers.location).toBe(`/liked#thing-${id}`);
    expect(ids((await supertest(stack.url).get('/liked').set('Cookie', cookie)).text)).not.toContain(id);
  });

  it('pages through 1,200 likes without fetching them all', async () => {
    const cookie = await stack.loginCookie('cleo_collects');
    const mark = stack.sandbox.requests().length;
    const p2 = await supertest(stack.url).get('/liked?page=2').set('Cookie', cookie).expect(200);
    expect(ids(p2.text)).toEqual(stack.sandbox.likedIds('cleo_collects').slice(30, 60));
    expect(p2.text).toMatch(/href="\/liked\?page=3"/);
    expect(p2.text).toMatch(/rel="prev" href="\/liked"/);
    const calls = stack.sandbox.requests().slice(mark);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toMatch(/\/users\/cleo_collects\/likes\?.*per_page=30/);
    const past = await supertest(stack.url).get('/liked?page=200').set('Cookie', cookie).expect(200);
    expect(past.text).toMatch(/No more liked things/);
  });

  it('maps an upstream outage to a clear 502 page', async () => {
    const cookie = await stack.loginCookie('ada_maker');
    stack.sandbox.addFault({ kind: 'status', status: 500, route: 'GET /users/:name/likes', times: 1 });
    const res = await supertest(stack.url).get('/liked').set('Cookie', cookie);
    expect(res.status).toBe(502);
    expect(res.text).toMatch(/not answering/);
    stack.sandbox.clearFaults();
  });
});
