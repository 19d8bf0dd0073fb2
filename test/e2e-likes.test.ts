// Export and import in real Chromium, with and without JavaScript: the JSON and CSV downloads
// from /liked hold exactly the sandbox's likes; a downloaded file goes back in through the
// import form (chosen with the file input when JavaScript runs, pasted without it), the preview
// counts it, Start runs the job to its end, and the likes exist in the sandbox. The preview and
// the job page (running and finished) have 0 axe-core violations at 1280 and 390 px.
// One browser and one stack for the file; each JavaScript setting has its own two users.
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import fs from 'node:fs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { parse as parseCsv } from 'csv-parse/sync';
import { startStack, type Stack } from './helpers/stack.js';
import { axeViolations, chromiumPath, launch, watchPage } from './helpers/browser.js';
import { waitFor } from './helpers/wait.js';

const hasBrowser = chromiumPath() !== null;
if (!hasBrowser && process.env.CI) throw new Error('CI must install Chromium for the end-to-end tests');
const d = hasBrowser ? describe : describe.skip;
jest.setTimeout(60_000);

const WIDTHS = [1280, 390];
type Setup = { js: boolean; exporter: string; importer: string; file: 'json' | 'csv' };
const SETUPS: Setup[] = [
  { js: true, exporter: 'ada_maker', importer: 'dara_new', file: 'json' },
  { js: false, exporter: 'bram_prints', importer: 'ada_maker', file: 'csv' },
];

let browser: Browser;
let stack: Stack;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  if (hasBrowser) [browser, stack] = await Promise.all([launch(), startStack()]);
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await stack?.close();
});

/** A page logged in as `user`; bypassCSP only so axe's script tag can be added (e2e.test.ts watches the CSP). */
async function pageAs(user: string, js: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: WIDTHS[0]!, height: 844 }, bypassCSP: true });
  contexts.push(context);
  const [name, value] = (await stack.loginCookie(user)).split('=') as [string, string];
  await context.addCookies([{ name, value, url: stack.url }]);
  return context.newPage();
}

/** 0 axe-core violations at every width (the page is put back to the first one after). */
async function expectAccessible(page: Page, js: boolean): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 844 });
    expect({ width, violations: await axeViolations(page, { javaScript: js }) }).toEqual({ width, violations: [] });
  }
  await page.setViewportSize({ width: WIDTHS[0]!, height: 844 });
}

async function download(page: Page, link: string): Promise<{ file: string; text: string; name: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]) as [Download, unknown];
  const file = await dl.path();
  return { file, text: fs.readFileSync(file, 'utf8'), name: dl.suggestedFilename() };
}

const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

d.each(SETUPS)('export and import %#', (setup) => {
  const how = setup.js ? 'with JavaScript' : 'without JavaScript';
  const exported: Partial<Record<'json' | 'csv', { file: string; text: string }>> = {};

  it(`${how}: Export JSON and Export CSV on /liked download exactly the sandbox's likes`, async () => {
    const page = await pageAs(setup.exporter, setup.js);
    await page.goto(`${stack.url}/liked`);
    const likes = sorted(stack.sandbox.likedIds(setup.exporter));
    expect(likes.length).toBeGreaterThan(0);

    const json = await download(page, 'Export JSON');
    expect(json.name).toMatch(new RegExp(`^thingiverse-likes-${setup.exporter}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const body = JSON.parse(json.text) as { format: string; count: number; things: { id: number }[] };
    expect({ format: body.format, count: body.count }).toEqual({ format: 'thingiverse-likes/1', count: likes.length });
    expect(sorted(body.things.map((t) => t.id))).toEqual(likes);

    const csv = await download(page, 'Export CSV');
    expect(csv.name).toMatch(/\.csv$/);
    const rows = parseCsv(csv.text, { columns: true, bom: true }) as { id: string }[];
    expect(sorted(rows.map((r) => Number(r.id)))).toEqual(likes);
    Object.assign(exported, { json, csv });
  });

  it(`${how}: the ${setup.file.toUpperCase()} file through the import form: preview, Start, the job runs to done, the likes exist`, async () => {
    const file = exported[setup.file]!;
    const page = await pageAs(setup.importer, setup.js);
    const seen = await watchPage(page);
    const toImport = sorted(stack.sandbox.likedIds(setup.exporter));
    const before = new Set(stack.sandbox.likedIds(setup.importer));
    const missing = toImport.filter((id) => !before.has(id));
    expect(missing.length).toBeGreaterThan(0);

    await page.goto(`${stack.url}/liked/import`);
    const chooser = page.getByLabel('File', { exact: true });
    if (setup.js) {
      // The script shows the file input and reads the chosen file into the textarea.
      await chooser.setInputFiles(file.file);
      await waitFor('the file in the textarea', async () => (await page.locator('#import-text').inputValue()) === file.text);
    } else {
      expect(await chooser.isVisible()).toBe(false);
      await page.getByLabel("The file's text").fill(file.text);
    }
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Import preview' }).waitFor();
    expect(await page.locator('[data-count="to-like"]').textContent()).toBe(String(missing.length));
    expect(await page.locator('[data-count="already"]').textContent()).toBe(String(toImport.length - missing.length));
    expect(await page.locator('[data-count="refused"]').textContent()).toBe('0');
    await expectAccessible(page, setup.js);

    // Writes held for a while, so the job page is seen (and checked) while it runs.
    stack.sandbox.addFault({ kind: 'latency', ms: 700, route: 'POST /things/:id/likes' });
    try {
      await page.getByRole('button', { name: `Start: like ${missing.length}` }).click();
      await page.waitForURL((u) => /^\/bulk\/[0-9a-f]{32}$/.test(u.pathname));
      expect(await page.locator('[data-bulk-state]').getAttribute('data-bulk-state')).toBe('running');
      await expectAccessible(page, setup.js);
    } finally {
      stack.sandbox.clearFaults();
    }
    // With JavaScript the poller reloads at the end; without it the <noscript> refresh does.
    await page.getByRole('heading', { name: 'Bulk like: finished' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-bulk-summary]').textContent())
      .toBe(`${missing.length} of ${missing.length} done: ${missing.length} liked, 0 already liked, 0 failed.`);
    await expectAccessible(page, setup.js);
    const now = new Set(stack.sandbox.likedIds(setup.importer));
    expect(toImport.filter((id) => !now.has(id))).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
