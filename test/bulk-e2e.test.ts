// Bulk like in real Chromium, both ways the issue asks for: with JavaScript (select all, the
// status page updates its bar in place from the JSON, then shows the summary) and without it
// (plain forms; the status page reloads itself through its <noscript> refresh until done).
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import type { Browser, BrowserContext } from 'playwright-core';
import { startStack, type Stack } from './helpers/stack.js';
import { chromiumPath, launch, watchPage } from './helpers/browser.js';

const hasBrowser = chromiumPath() !== null;
if (!hasBrowser && process.env.CI) throw new Error('CI must install Chromium for the end-to-end tests');
const d = hasBrowser ? describe : describe.skip;
jest.setTimeout(60_000);

let browser: Browser;
let stack: Stack;
beforeAll(async () => {
  if (!hasBrowser) return;
  browser = await launch();
  stack = await startStack({ sandbox: { latencyMs: 2 } });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/**
 * The page's window, as functions that run in the browser see it. The tests are type-checked
 * without the DOM library, and string predicates would be eval'd, which the app's CSP blocks;
 * each function spells out the cast, as it is serialised without this file's scope.
 */
type El = { getAttribute(n: string): string | null; textContent: string | null; value: number; max: number };
type Win = { marker?: boolean; document: { querySelector(s: string): El | null; querySelectorAll(s: string): { length: number } } };

async function loggedInContext(user: string, javaScriptEnabled: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled });
  const [name, value] = (await stack.loginCookie(user)).split('=') as [string, string];
  await context.addCookies([{ name, value, url: stack.url }]);
  return context;
}

d('bulk like in Chromium', () => {
  it('with JavaScript: select all, Like selected; the bar fills in place, then the summary', async () => {
    const context = await loggedInContext('dara_new', true);
    const page = await context.newPage();
    const seen = await watchPage(page);
    // Slow writes, so the job is visibly running for a while.
    stack.sandbox.addFault({ kind: 'latency', route: 'POST /things/:id/likes', ms: 120 });
    try {
      await page.goto(`${stack.url}/?page=3`);
      // The bulk controls are folded into a disclosure until used (issue 10).
      await page.getByText('Several at once').click();
      await page.getByLabel('Select all on this page').check();
      await page.getByText('30 selected').waitFor();
      await page.waitForFunction(() => (globalThis as unknown as Win).document.querySelectorAll('input[form="bulk-form"]:checked').length === 30);
      await page.getByRole('button', { name: 'Like selected', exact: true }).click();
      await page.waitForURL((u) => /^\/bulk\/[0-9a-f]{32}$/.test(u.pathname));
      // A marker that a reload would wipe: the bar must move while it is still there.
      await page.evaluate(() => void ((globalThis as unknown as Win).marker = true));
      await page.waitForFunction(() => {
        const bar = (globalThis as unknown as Win).document.querySelector('progress');
        return (globalThis as unknown as Win).marker === true && bar !== null && bar.value > 0 && bar.value < bar.max;
      });
      await page.waitForFunction(() => (globalThis as unknown as Win).document.querySelector('[data-bulk-state]')?.getAttribute('data-bulk-state') === 'finished', null, { timeout: 20_000 });
      await expect(page.locator('[data-bulk-summary]').textContent()).resolves.toBe('30 of 30 done: 30 liked, 0 already liked, 0 failed.');
      expect(seen.csp).toEqual([]);
      expect(seen.errors).toEqual([]);
    } finally {
      stack.sandbox.clearFaults();
      await context.close();
    }
  });

  it('without JavaScript: the all-on-this-page form, then a status page that refreshes itself until done', async () => {
    const context = await loggedInContext('cleo_collects', false);
    const page = await context.newPage();
    stack.sandbox.addFault({ kind: 'latency', route: 'DELETE /things/:id/likes', ms: 100 });
    try {
      await page.goto(`${stack.url}/liked?page=2`);
      await page.getByText('Several at once').click();
      await page.getByRole('button', { name: 'Unlike all 30 on this page' }).click();
      await page.waitForURL((u) => u.pathname.startsWith('/bulk/'));
      await expect(page.locator('h1').textContent()).resolves.toMatch(/^Unliking 30 things/);
      await page.waitForFunction(() => (globalThis as unknown as Win).document.querySelector('h1')?.textContent === 'Bulk unlike: finished', null, { timeout: 20_000, polling: 200 });
      await expect(page.locator('[data-bulk-summary]').textContent()).resolves.toBe('30 of 30 done: 30 unliked, 0 already unliked, 0 failed.');
    } finally {
      stack.sandbox.clearFaults();
      await context.close();
    }
  });
});
