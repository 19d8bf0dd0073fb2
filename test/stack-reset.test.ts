// stack.reset(), which the per-route files run before each test: afterwards the app knows
// nothing the old sandbox taught it. Each part shows in the upstream calls the next views make
// (the sandbox's request log) and in what they show.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { cardIds, likedUser } from './helpers/liked-helpers.js';
import { bulkUser, unlikedOnPopular } from './helpers/bulk-helpers.js';
import type { BulkJobView } from '../src/jobs/job-view.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const upstreamSince = (mark: number) => stack.sandbox.requests().slice(mark).map((r) => `${r.method} ${r.url}`);
const buttonOf = (html: string, id: number) =>
  /<button type="submit" class="(like|unlike)"/.exec(html.slice(html.indexOf(`id="thing-${id}"`)))?.[1];

describe('stack.reset()', () => {
  it('forgets the like snapshot, the liked index and the caches the old world filled', async () => {
    const before = await likedUser(stack, 'ada_maker');
    const home = (await before.get('/?page=2').expect(200)).text;
    const id = cardIds(home).find((i) => !stack.sandbox.likedIds('ada_maker').includes(i))!;
    await supertest(stack.url).post(`/things/${id}/like`).set('Cookie', before.cookie).type('form').send({ _csrf: csrfFrom(home) }).expect(303);
    await before.get(`/things/${id}`).expect(200);
    expect(await before.settled()).toMatch(/<strong>13<\/strong> liked things/);

    await stack.reset();
    expect(stack.sandbox.likedIds('ada_maker')).not.toContain(id);
    const after = await likedUser(stack, 'ada_maker');
    let mark = stack.sandbox.requests().length;
    const list = (await after.get('/?page=2').expect(200)).text;
    expect(buttonOf(list, id)).toBe('like');
    expect(upstreamSince(mark).sort()).toEqual(['GET /popular?page=2&per_page=30', 'GET /users/ada_maker/likesids']);

    mark = stack.sandbox.requests().length;
    await after.get(`/things/${id}`).expect(200);
    expect(upstreamSince(mark).sort()).toEqual([`GET /things/${id}`, `GET /things/${id}/images`]);

    mark = stack.sandbox.requests().length;
    expect(await after.settled()).toMatch(/<strong>12<\/strong> liked things/);
    expect(upstreamSince(mark)).toContain('GET /users/ada_maker/likes?page=1&per_page=100');
  });

  it('stops a liked-index refresh after the page on its way, instead of waiting for all 12', async () => {
    const cleo = stack.sandbox.users().find((x) => x.name === 'cleo_collects')!;
    const u = await likedUser(stack, 'cleo_collects');
    stack.sandbox.addFault({ kind: 'latency', ms: 30, route: 'GET /users/:name/likes' });
    await u.get('/liked').expect(200); // waits for the first page of 100; the walk goes on
    expect(stack.services.likedIndex.isRefreshing(cleo.id)).toBe(true);
    const mark = stack.sandbox.requests().length;

    await stack.services.forgetUpstream(); // the app's half of reset(), so the sandbox's log is still there to read
    const pages = stack.sandbox.requests().slice(mark).filter((r) => r.url.startsWith('/users/cleo_collects/likes?'));
    expect(pages.length).toBeLessThanOrEqual(1);
    expect(stack.services.likedIndex.isRefreshing(cleo.id)).toBe(false);
    expect(stack.services.likedIndex.index.count(cleo.id)).toBe(0);
    await stack.reset();
  });

  it('forgets rate-limit counts and holds: the App Token held back by a 429 is free again', async () => {
    const page = (await supertest(stack.url).get('/').expect(200)).text;
    const id = cardIds(page)[0]!;
    stack.sandbox.addFault({ kind: 'ratelimit', ms: 60_000, route: 'GET /things/:id', times: 1 });
    await supertest(stack.url).get(`/things/${id}`).expect(429);
    const mark = stack.sandbox.requests().length;
    await supertest(stack.url).get(`/things/${id}`).expect(429); // held back here: nothing sent
    expect(upstreamSince(mark)).toEqual([]);
    expect(stack.services.limiter.used('app')).toBeGreaterThan(0);

    await stack.reset();
    expect(stack.services.limiter.used('app')).toBe(0);
    await supertest(stack.url).get(`/things/${id}`).expect(200);
  });

  it('cancels a running bulk job before the sandbox forgets, so none of its writes lands in the new world', async () => {
    const u = await bulkUser(stack, 'bram_prints');
    const ids = (await unlikedOnPopular(stack, u, 'bram_prints', 2)).slice(0, 20);
    stack.sandbox.addFault({ kind: 'latency', ms: 100, route: 'POST /things/:id/likes' });
    const started = await u.start('like', ids).expect(303);

    await stack.reset();
    const view = (await u.get(started.headers.location as string, true).expect(200)).body as BulkJobView;
    expect(view.state).toBe('cancelled');
    expect(upstreamSince(0)).toEqual([]);
    expect(stack.sandbox.likedIds('bram_prints').filter((i) => ids.includes(i))).toEqual([]);
  });
});
