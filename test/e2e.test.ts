// The newcomer's flow in real Chromium against the real app and sandbox: log in through the
// sandbox's consent page (implicit flow, code flow, pasted token), like a thing, find it on
// the liked page, unlike it. Along the way: the fragment is cleared, the token never appears
// in anything the app sends, and no CSP violation is reported.
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import type { Browser, Page, Response } from 'playwright-core';
import { startStack, type Stack } from './helpers/stack.js';
import { chromiumPath, launch, watchPage } from './helpers/browser.js';

const hasBrowser = chromiumPath() !== null;
if (!hasBrowser && process.env.CI) throw new Error('CI must install Chromium for the end-to-end tests');
if (!hasBrowser) console.warn('e2e: Chromium not found, skipping the browser tests (apt-get install -y chromium)');
const d = hasBrowser ? describe : describe.skip;

jest.setTimeout(60_000);

let browser: Browser;
beforeAll(async () => {
  if (hasBrowser) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Record everything the app origin sends, to scan for the token afterwards. */
function recordAppTraffic(page: Page, appUrl: string) {
  const seen: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('request', (req) => {
    seen.push(req.url());
    const referer = req.headers().referer;
    if (referer) seen.push(referer);
  });
  page.on('response', (res: Response) => {
    if (!res.url().startsWith(appUrl)) return;
    seen.push(JSON.stringify(res.headers()));
    pending.push(res.text().then((t) => void seen.push(t), () => undefined));
  });
  return { all: async () => (await Promise.all(pending), seen.join('\n')) };
}

/** The token the sandbox handed out, read from its redirect (that is the sandbox's business). */
function captureIssuedToken(page: Page, sandboxUrl: string): () => string | null {
  let token: string | null = null;
  page.on('response', (res) => {
    const loc = res.headers().location;
    if (res.url().startsWith(sandboxUrl) && loc && loc.includes('access_token=')) {
      token = new URLSearchParams(new URL(loc).hash.slice(1)).get('access_token');
    }
  });
  return () => token;
}

async function approveOnSandbox(page: Page, user: string) {
  await page.getByRole('link', { name: 'Log in with Thingiverse' }).first().click();
  await page.waitForURL((u) => u.pathname === '/login/oauth/authorize');
  await page.getByLabel(/user|account|signed in/i).selectOption(user);
  await page.getByRole('button', { name: 'Authorize' }).click();
}

async function likeUnlikeRoundTrip(page: Page, stack: Stack, user: string) {
  const card = page.locator('article', { has: page.getByRole('button', { name: /^Like / }) }).first();
  const id = Number((await card.getAttribute('id'))?.replace('thing-', ''));
  await card.getByRole('button', { name: /^Like / }).click();
  // Waits for the button to turn into Unlike (fails after the timeout if it never does).
  await page.locator(`#thing-${id}`).getByRole('button', { name: /^Unlike / }).waitFor();
  expect(stack.sandbox.likedIds(user)).toContain(id);

  await page.getByRole('link', { name: 'Liked things' }).click();
  await page.waitForURL((u) => u.pathname === '/liked');
  const likedCard = page.locator(`#thing-${id}`);
  await likedCard.getByRole('button', { name: /^Unlike / }).click();
  await page.waitForFunction(`document.querySelector('#thing-${id} button')?.textContent?.startsWith('Like')`);
  expect(stack.sandbox.likedIds(user)).not.toContain(id);
  await page.reload();
  expect(await page.locator(`#thing-${id}`).count()).toBe(0);
  return id;
}

d('end to end in Chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('implicit flow: consent, fragment cleared, like, liked page, unlike; token never leaks, no CSP errors', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = await watchPage(page);
    const traffic = recordAppTraffic(page, stack.url);
    const issued = captureIssuedToken(page, stack.sandboxUrl);

    await page.goto(stack.url);
    await approveOnSandbox(page, 'ada_maker');
    await page.waitForURL(`${stack.url}/`);
    await page.locator('.who').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    // The callback entry in history no longer holds the token either.
    await page.goBack();
    expect(page.url()).not.toContain('access_token');
    await page.goto(stack.url);

    await likeUnlikeRoundTrip(page, stack, 'ada_maker');

    const token = issued();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const all = await traffic.all();
    expect(all).not.toContain(token as string);
    expect(seen.csp).toEqual([]);
    expect(seen.dialogs).toEqual([]);
    await context.close();
  });

  it('pasted token: the tutorial way in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = await watchPage(page);
    const traffic = recordAppTraffic(page, stack.url);
    const token = stack.sandbox.issueToken('cleo_collects');
    await page.goto(`${stack.url}/login/token`);
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.locator('.who').waitFor();
    await likeUnlikeRoundTrip(page, stack, 'cleo_collects');
    expect(await traffic.all()).not.toContain(token);
    expect(seen.csp).toEqual([]);
    await context.close();
  });

  it('a denied consent shows a fixed, friendly message', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.url);
    await page.getByRole('link', { name: 'Log in with Thingiverse' }).first().click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByText(/chose not to allow/).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    // The heading says what happened, and the way forward is one button.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You did not allow access');
    expect(await page.getByRole('link', { name: 'Try again' }).getAttribute('href')).toBe('/login');
    await context.close();
  });
});

d('end to end without JavaScript (code flow)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ flow: 'code' });
  });
  afterAll(() => stack.close());

  it('logs in, likes and unlikes with plain forms and redirects', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const seen = await watchPage(page);
    await page.goto(stack.url);
    await approveOnSandbox(page, 'bram_prints');
    await page.locator('.who').waitFor();
    const card = page.locator('article', { has: page.getByRole('button', { name: /^Like / }) }).first();
    const id = Number((await card.getAttribute('id'))?.replace('thing-', ''));
    await card.getByRole('button', { name: /^Like / }).click();
    await page.waitForURL((u) => u.hash === `#thing-${id}`);
    expect(await page.locator(`#thing-${id} button`).textContent()).toMatch(/^Unlike/);
    expect(stack.sandbox.likedIds('bram_prints')).toContain(id);
    await page.locator(`#thing-${id} button`).click();
    await page.waitForLoadState();
    expect(await page.locator(`#thing-${id} button`).textContent()).toMatch(/^Like/);
    expect(stack.sandbox.likedIds('bram_prints')).not.toContain(id);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByText('You are logged out.').waitFor();
    expect(seen.csp).toEqual([]);
    await context.close();
  });
});
