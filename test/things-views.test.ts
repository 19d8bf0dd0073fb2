// The pages that must tell the truth, rendered straight from their templates with the
// locals their routes pass: the bulk job page (tab title, a cancelled job's counts and
// bar, the changed things), the login error pages and the callback page without JS.
import { describe, it, expect } from '@jest/globals';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BulkJobView } from '../src/jobs/job-view.js';

const VIEWS = path.join(import.meta.dirname, '..', 'views');
const ejs = createRequire(import.meta.url)('ejs') as { renderFile(f: string, d: object, o: object): Promise<string> };
const LAYOUT = { user: { id: 1, name: 'ada', displayName: 'Ada' }, mode: 'sandbox', flash: null, bye: false, backTo: null, logoutCsrf: () => 'c' };
const render = (view: string, locals: object) => ejs.renderFile(path.join(VIEWS, `${view}.ejs`), { ...LAYOUT, ...locals }, { root: VIEWS, views: [VIEWS] });

function job(over: Partial<BulkJobView>): BulkJobView {
  return {
    id: 'a'.repeat(32), action: 'like', state: 'running', total: 10, handled: 4,
    counts: { pending: 6, done: 4, already: 0, failed: 0, cancelled: 0 },
    changed: [103, 102, 101, 100],
    failures: [], waitingUntil: null, waitSeconds: null, summary: '4 of 10 done.', rateLimited: 0,
    returnTo: '/?page=2', createdAt: 0, finishedAt: null, budget: null, etaSeconds: null, eta: null, next: null, ...over,
  } as BulkJobView;
}
const bulk = (view: BulkJobView) => render('bulk', { title: 'route title', job: view, csrf: 'c', refreshSeconds: view.state === 'running' ? 2 : null });

describe('bulk job page', () => {
  it('running: the tab title follows progress; Cancel keeps the focus across the no-JS refresh', async () => {
    const html = await bulk(job({}));
    expect(html).toMatch(/<title>4 of 10 · Liking · thingiverse-likes<\/title>/);
    expect(html).toMatch(/<button type="submit" class="secondary" autofocus>Cancel<\/button>/);
    expect(html).toMatch(/<noscript><meta http-equiv="refresh" content="2"><\/noscript>/);
  });

  it('cancelled: says how many were done and not started, and the bar shows what was sent, not 100%', async () => {
    const html = await bulk(job({ state: 'cancelled', handled: 10, changed: [102, 101, 100], counts: { pending: 0, done: 3, already: 0, failed: 0, cancelled: 7 } }));
    expect(html).toMatch(/<progress id="bulk-progress" max="10" value="3">/);
    expect(html).toMatch(/3 things done before you cancelled; 7 things not started/);
    expect(html).toMatch(/<title>Cancelled: 3 of 10 done · thingiverse-likes<\/title>/);
    expect(html).not.toMatch(/autofocus|http-equiv="refresh"/);
  });

  it('finished: lists the things it changed, newest first, each linked to its page', async () => {
    const html = await bulk(job({ state: 'finished', total: 3, handled: 3, changed: [202, 200], counts: { pending: 0, done: 2, already: 1, failed: 0, cancelled: 0 } }));
    expect(html).toMatch(/<h2>Liked \(<span data-bulk-done>2<\/span>\)<\/h2>/);
    expect(html).toContain('<li><a href="/things/202">Thing 202</a></li><li><a href="/things/200">Thing 200</a></li>');
    expect(html).toMatch(/data-bulk-changed-note hidden>/);
    expect(html).toMatch(/<a href="\/\?page=2">Back to the list<\/a>/);
  });
});

describe('login pages', () => {
  it('after Deny: the heading says so, the normal header, and a Try again button', async () => {
    const html = await render('error', { user: null, title: 'Login cancelled', message: 'You chose not to allow this app to use your Thingiverse account. Nothing was changed.', showLogin: false });
    expect(html).toMatch(/<h1>You did not allow access<\/h1>/);
    expect(html).toMatch(/<header class="top">/);
    expect(html).toMatch(/<a class="button" href="\/login">Try again<\/a>/);
  });

  it('a refused pasted token offers to try the paste again', async () => {
    const html = await render('error', { user: null, title: 'Login failed', message: 'Thingiverse did not accept that token. It may be wrong.', showLogin: false });
    expect(html).toMatch(/<a class="button" href="\/login\/token">Try again<\/a>/);
  });

  it.each([
    [true, /<a class="button" href="\/login">Log in again<\/a> \(this app also accepts Thingiverse’s code flow/],
    [false, /<a class="button" href="\/login\/token">Paste an access token instead<\/a>/],
  ])('the callback page without JS says it needs JS and offers the way that works (code flow: %s)', async (codeFlow, offer) => {
    const html = await render('callback', { title: 'Finishing login', codeFlow });
    const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)?.[1] ?? '';
    expect(noscript).toMatch(/needs JavaScript/);
    expect(noscript).toMatch(offer);
  });
});
