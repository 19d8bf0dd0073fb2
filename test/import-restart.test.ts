// An import across a restart of the app (same data folder, same sandbox): the preview is in
// SQLite, so confirming it after the restart still starts the job; "match the file" keeps its
// unlike job with the likes job, so a stop in the middle of the likes still ends with the
// account matching the file, each write sent once; and a next job whose first job had just
// finished when the process died starts when the app starts again.
import { describe, it, expect, afterAll } from '@jest/globals';
import path from 'node:path';
import Database from 'better-sqlite3';
import supertest from 'supertest';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { cardIds } from './helpers/liked-helpers.js';
import { writesSince } from './helpers/bulk-helpers.js';
import { waitFor } from './helpers/wait.js';

const stacks: Stack[] = [];
afterAll(async () => {
  for (const s of stacks.reverse()) await s.close();
});

const importId = (html: string) => /name="import" value="([0-9a-f]{32})"/.exec(html)![1]!;
const userId = (stack: Stack, name: string) => stack.sandbox.users().find((u) => u.name === name)!.id;

/** The same browser session against whichever app process is running now. */
function session(cookie: string) {
  return {
    get: (stack: Stack, url: string) => supertest(stack.url).get(url).set('Cookie', cookie),
    post: (stack: Stack, url: string, fields: Record<string, string>) =>
      supertest(stack.url).post(url).set('Cookie', cookie).type('form').send(fields),
  };
}

/** A second app on the first one's data folder and sandbox, as after a restart. */
async function restart(first: Stack): Promise<Stack> {
  await first.closeApp();
  const second = await startStack({
    dataDir: first.dataDir,
    existingSandbox: { sandbox: first.sandbox, url: first.sandboxUrl, port: Number(new URL(first.sandboxUrl).port) },
  });
  stacks.push(second, first);
  return second;
}

/** A preview of `file` (ids, one a line); returns its confirm form's id and CSRF token. */
async function preview(stack: Stack, s: ReturnType<typeof session>, file: number[], match: boolean) {
  const csrf = csrfFrom((await s.get(stack, '/liked/import').expect(200)).text);
  const res = await s.post(stack, '/liked/import', { _csrf: csrf, file: file.join('\n'), ...(match ? { match: '1' } : {}) }).expect(200);
  return { id: importId(res.text), csrf };
}

const likePosts = (stack: Stack, mark: number) => [...writesSince(stack, mark).values()].reduce((a, b) => a + b, 0);

describe('an import across a restart', () => {
  it('a preview shown before the restart is confirmed after it: the job runs and the likes exist', async () => {
    const first = await startStack();
    const s = session(await first.loginCookie('dara_new'));
    const ids = cardIds((await s.get(first, '/?page=4').expect(200)).text).slice(0, 3);
    const { id, csrf } = await preview(first, s, ids, false);

    const second = await restart(first);
    const mark = second.sandbox.requests().length;
    const res = await s.post(second, '/liked/import/confirm', { _csrf: csrf, import: id }).expect(303);
    expect(res.headers.location).toMatch(/^\/bulk\/[0-9a-f]{32}$/);
    await second.services.jobs.settled(String(res.headers.location).split('/').pop()!);
    expect(new Set(second.sandbox.likedIds('dara_new'))).toEqual(new Set(ids));
    expect([...writesSince(second, mark).values()]).toEqual([1, 1, 1]);
    // Used once: the same preview does nothing a second time.
    await s.post(second, '/liked/import/confirm', { _csrf: csrf, import: id }).expect(404);
  });

  it('match mode stopped in the middle of its likes: after the restart the likes finish, then the unlikes run', async () => {
    const first = await startStack({ timeoutMs: 5000 });
    const s = session(await first.loginCookie('bram_prints'));
    const before = first.sandbox.likedIds('bram_prints');
    const keep = before.slice(0, 1);
    const add = cardIds((await s.get(first, '/?page=6').expect(200)).text).filter((i) => !before.includes(i)).slice(0, 10);
    const { id, csrf } = await preview(first, s, [...keep, ...add], true);
    first.sandbox.addFault({ kind: 'latency', ms: 150, route: 'POST /things/:id/likes' });
    const mark = first.sandbox.requests().length;
    const res = await s.post(first, '/liked/import/confirm', { _csrf: csrf, import: id, confirmUnlike: '1' }).expect(303);
    const likeJobId = String(res.headers.location).split('/').pop()!;
    await waitFor('the likes to be going out', () => likePosts(first, mark) >= 1);

    const second = await restart(first);
    first.sandbox.clearFaults();
    const likeJob = second.services.jobs.get(userId(second, 'bram_prints'), likeJobId)!;
    expect(likeJob.view(Date.now()).next).toMatchObject({ action: 'unlike', total: before.length - 1 });
    await second.services.jobs.settled(likeJobId);
    expect(likeJob.state).toBe('finished');
    expect(likeJob.nextJobId).toMatch(/^[0-9a-f]{32}$/);
    await second.services.jobs.settled(likeJob.nextJobId!);
    expect(new Set(second.sandbox.likedIds('bram_prints'))).toEqual(new Set([...keep, ...add]));
    // Each like and each unlike sent once, across both processes.
    const posts = writesSince(first, mark, 'POST');
    const deletes = writesSince(first, mark, 'DELETE');
    expect([...posts.keys()].sort()).toEqual([...add].sort());
    expect([...deletes.keys()].sort()).toEqual(before.slice(1).sort());
    expect([...posts.values(), ...deletes.values()].every((n) => n === 1)).toBe(true);
    // The likes job's page links to the unlike job that followed it.
    const page = (await s.get(second, `/bulk/${likeJobId}`).expect(200)).text;
    expect(page).toContain(`<a href="/bulk/${likeJob.nextJobId}">Next: unliking ${before.length - 1} things</a>`);
  });

  it('a next job whose first job finished just before the process died starts with the next process', async () => {
    const first = await startStack({ timeoutMs: 5000 });
    const s = session(await first.loginCookie('ada_maker'));
    const before = first.sandbox.likedIds('ada_maker');
    const add = cardIds((await s.get(first, '/?page=7').expect(200)).text).filter((i) => !before.includes(i)).slice(0, 1);
    const keep = before.slice(2);
    const { id, csrf } = await preview(first, s, [...keep, ...add], true);
    first.sandbox.addFault({ kind: 'latency', ms: 300, route: 'POST /things/:id/likes' });
    const mark = first.sandbox.requests().length;
    const likeJobId = String((await s.post(first, '/liked/import/confirm', { _csrf: csrf, import: id, confirmUnlike: '1' }).expect(303)).headers.location).split('/').pop()!;
    await waitFor('the like to be going out', () => likePosts(first, mark) >= 1);
    await first.closeApp();
    first.sandbox.clearFaults();
    // As a crash right after the likes job was stored as finished would leave it: the next job not started.
    const db = new Database(path.join(first.dataDir, 'app.db'));
    db.prepare("UPDATE jobs SET state = 'finished', finished_at = ? WHERE id = ?").run(Date.now(), likeJobId);
    db.close();

    const second = await restart(first);
    const next = second.services.jobs.running(userId(second, 'ada_maker'));
    expect(next?.action).toBe('unlike');
    await second.services.jobs.settled(next!.id);
    expect(new Set(second.sandbox.likedIds('ada_maker'))).toEqual(new Set([...keep, ...add]));
    expect([...writesSince(first, mark, 'DELETE').keys()].sort()).toEqual(before.slice(0, 2).sort());
  });
});
