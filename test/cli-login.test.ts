// `auth login` the browser way: the CLI serves the registered callback on loopback for one
// login. Played over HTTP (as the page's script would) and in real Chromium.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { consent } from './helpers/stack.js';
import { chromiumPath, launch, watchPage } from './helpers/browser.js';
import { makeHome, runCli, spawnCli, startCliSandbox, tokenFile, type CliSandbox } from './helpers/cli.js';

let sbx: CliSandbox;
beforeAll(async () => void (sbx = await startCliSandbox()));
afterAll(async () => sbx.close());

/** Starts `auth login --no-browser` and returns the authorize URL it prints. */
async function startLogin(home = makeHome(sbx)) {
  const child = spawnCli(['auth', 'login', '--no-browser'], home);
  const [, url] = await child.waitFor(/^ {2}(http\S+)$/m);
  return { child, home, url: url! };
}

const post = (origin: string, body: unknown, from = origin) =>
  fetch(`${origin}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json', origin: from }, body: JSON.stringify(body) });

describe('auth login through the loopback callback', () => {
  it('prints the authorize URL with a one-time state, serves the app\'s callback page, stores the checked token', async () => {
    const { child, home, url } = await startLogin();
    const authorize = new URL(url);
    expect(authorize.origin).toBe(sbx.url);
    expect(authorize.searchParams.get('redirect_uri')).toBe(sbx.callbackUrl);
    expect(authorize.searchParams.get('response_type')).toBe('token');
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const back = new URL(await consent(url, 'ada_maker'));
    const fragment = new URLSearchParams(back.hash.slice(1));
    const page = await fetch(back.origin + back.pathname);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="/static/callback.js"');
    expect(await (await fetch(`${back.origin}/static/callback.js`)).text()).toContain("fetch('/auth/token'");

    // A page of another origin cannot hand the CLI a token.
    expect((await post(back.origin, {}, 'http://evil.example')).status).toBe(403);
    expect(await (await fetch(`${back.origin}/`)).text()).toContain('Not logged in yet');
    const res = await post(back.origin, { access_token: fragment.get('access_token'), state: fragment.get('state') });
    expect(res.status).toBe(200);
    // A slow tab: its "Logged in" view is asked for well after the token was accepted, and is
    // still there (the CLI waits for that page, not a fixed time). It names an empty data: icon,
    // so the browser has no favicon to ask for once the listener is gone.
    await new Promise((r) => setTimeout(r, 1000));
    const shown = await fetch(`${back.origin}/`);
    const shownHtml = await shown.text();
    expect(shownHtml).toContain('<h1>Logged in</h1>');
    expect(shownHtml).toContain('<link rel="icon" href="data:,">');
    expect(shown.headers.get('content-security-policy')).toContain('img-src data:');
    const run = await child.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Logged in to .* as ada_maker/);
    expect(run.stderr + run.stdout).not.toContain(fragment.get('access_token')!);
    expect(fs.readFileSync(tokenFile(home), 'utf8')).toContain(fragment.get('access_token')!);
  });

  it('a wrong state ends the login with exit 4 and stores nothing; Deny says so', async () => {
    const { child, home, url } = await startLogin();
    const back = new URL(await consent(url, 'ada_maker'));
    const token = new URLSearchParams(back.hash.slice(1)).get('access_token');
    const res = await post(back.origin, { access_token: token, state: 'x'.repeat(43) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/could not be verified/);
    expect((await child.done).code).toBe(4);
    expect(fs.existsSync(tokenFile(home))).toBe(false);

    const denied = await startLogin();
    const deny = new URL(await consent(denied.url, 'ada_maker', 'deny'));
    // A stray ?error link without our state does not cancel the login in progress.
    expect((await fetch(`${deny.origin}${deny.pathname}?error=access_denied&state=forged`)).status).toBe(400);
    const cancelled = await fetch(`${deny.origin}${deny.pathname}?${new URLSearchParams(deny.hash.slice(1))}`);
    expect(cancelled.status).toBe(400);
    const run = await denied.child.done;
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/chose not to allow/);
  });

  it('opens the browser on the authorize page it also prints', async () => {
    const home = makeHome(sbx);
    const opened = path.join(home.dir, 'opened.txt');
    const browser = path.join(home.dir, 'browser.sh');
    fs.writeFileSync(browser, `#!/bin/sh\necho "$1" > "${opened}.tmp" && mv "${opened}.tmp" "${opened}"\n`, { mode: 0o755 });
    const child = spawnCli(['auth', 'login'], { ...home, env: { ...home.env, BROWSER: browser } });
    const [, printed] = await child.waitFor(/^ {2}(http\S+)$/m);
    for (let i = 0; i < 300 && !fs.existsSync(opened); i++) await new Promise((r) => setTimeout(r, 10));
    expect(fs.readFileSync(opened, 'utf8').trim()).toBe(printed);
    child.proc.kill('SIGINT');
    expect((await child.done).code).not.toBe(0);
    expect(fs.existsSync(tokenFile(home))).toBe(false);
  });

  it('a busy callback port is a clear failure', async () => {
    const { default: http } = await import('node:http');
    const port = Number(new URL(sbx.callbackUrl).port);
    const blocker = http.createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const run = await runCli(['auth', 'login', '--no-browser'], makeHome(sbx));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Port \d+ is busy.*--with-token/);
    } finally {
      blocker.close();
    }
  });
});

const describeBrowser = chromiumPath() || process.env['CI'] ? describe : describe.skip;
describeBrowser('auth login in Chromium', () => {
  it('consent in the browser, the callback page posts the token back, the tab says you are logged in', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const seen = await watchPage(page);
      // The sandbox answers the browser's favicon probe with 404, so console errors are filtered to ours.
      const loopbackErrors: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && m.location().url.startsWith(new URL(sbx.callbackUrl).origin) && loopbackErrors.push(m.text())));
      page.on('pageerror', (e) => void loopbackErrors.push(e.message));
      const { child, home, url } = await startLogin();
      await page.goto(url);
      await page.getByLabel(/user|account|signed in/i).selectOption('cleo_collects');
      await page.getByRole('button', { name: 'Authorize' }).click();
      await page.getByRole('heading', { name: 'Logged in' }).waitFor();
      expect(page.url()).toBe(`${new URL(sbx.callbackUrl).origin}/`); // the fragment is gone from the address bar
      const run = await child.done;
      expect(run.code).toBe(0);
      expect(seen.csp).toEqual([]);
      expect(loopbackErrors).toEqual([]);
      const status = await runCli(['auth', 'status', '--json'], home);
      expect(JSON.parse(status.stdout).user.name).toBe('cleo_collects');
    } finally {
      await browser.close();
    }
  });
});
