// Finding things in real Chromium, with and without JavaScript, on a desktop and at 390 px:
// the thing page, the count after a like, where focus and the message end up, the first
// screen on a phone, and 0 axe-core violations (WCAG 2.2 AA) on every page visited.
// One browser and one stack per test file; one context per (JavaScript, width), reused.
// Run as two files, test/e2e-find-js.test.ts and test/e2e-find-nojs.test.ts, so jest runs
// the halves on separate workers: as one file it was npm test's longest, 80 s on one worker.
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from './stack.js';
import { axeViolations, chromiumPath, launch } from './browser.js';

export type Setup = { js: boolean; width: number };

/** The suite for these setups (each with its own browser, stack and users), and one extra check. */
export function findSuite(SETUPS: Setup[], extra: 'logged out' | 'focus ring'): void {
  const hasBrowser = chromiumPath() !== null;
  if (!hasBrowser && process.env.CI) throw new Error('CI must install Chromium for the end-to-end tests');
  const d = hasBrowser ? describe : describe.skip;
  jest.setTimeout(60_000);

  const label = (s: Setup) => `${s.js ? 'with' : 'without'} JavaScript at ${s.width} px`;
  // Each setup is its own user, so likes in one cannot change what another sees.
  const USERS = ['ada_maker', 'bram_prints', 'cleo_collects', 'dara_new'];

  let browser: Browser;
  let stack: Stack;
  const pages = new Map<Setup, Page>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!hasBrowser) return;
    [browser, stack] = await Promise.all([launch(), startStack()]);
    for (const [i, s] of SETUPS.entries()) {
      // bypassCSP only so axe's script tag can be added; e2e.test.ts watches the CSP itself.
      const context = await browser.newContext({ javaScriptEnabled: s.js, viewport: { width: s.width, height: 844 }, bypassCSP: true });
      const [name, value] = (await stack.loginCookie(USERS[i])).split('=');
      await context.addCookies([{ name, value, url: stack.url }]);
      contexts.push(context);
      pages.set(s, await context.newPage());
    }
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await stack?.close();
  });

  const countIn = async (page: Page, selector: string) =>
    Number(((await page.locator(selector).first().textContent()) ?? '').replace(/[^0-9]/g, ''));

  /** A card on the page this user has not liked, and its id. */
  async function likeableCard(page: Page) {
    const card = page.locator('article.card', { has: page.getByRole('button', { name: /^Like / }) }).first();
    return { card, id: Number((await card.getAttribute('id'))!.replace('thing-', '')) };
  }


  d.each(SETUPS)('finding things %#', (setup) => {
    const page = () => pages.get(setup)!;
    const expectNoAxeViolations = async (p: Page) => expect(await axeViolations(p, { javaScript: setup.js })).toEqual([]);

    it(`${label(setup)}: the list: first thing on the first screen, bulk folded, pager, 0 axe violations`, async () => {
      const p = page();
      await p.goto(`${stack.url}/?page=2`);
      const first = await p.locator('article.card h2').first().boundingBox();
      expect(first!.y + first!.height).toBeLessThan(844);
      expect(await p.locator('details.bulk-bar').getAttribute('open')).toBeNull();
      expect(await p.locator('nav.pager').count()).toBe(2);
      await expectNoAxeViolations(p);
    });

    it(`${label(setup)}: like on a card: new count, message on the card, focus where it should be, true after reload`, async () => {
      const p = page();
      await p.goto(`${stack.url}/?page=2`);
      const { card, id } = await likeableCard(p);
      const before = await countIn(p, `#thing-${id} [data-like-count]`);
      await card.getByRole('button', { name: /^Like / }).click();
      const box = p.locator(`#thing-${id}`);
      await box.getByRole('button', { name: /^Unlike / }).waitFor();
      await box.locator('[data-like-result]').getByText(/^Liked “/).waitFor();
      expect(await countIn(p, `#thing-${id} [data-like-count]`)).toBe(before + 1);
      if (setup.js) {
        // Focus stays on the toggled button, and the live region says what happened.
        expect(await p.evaluate('document.activeElement.textContent')).toMatch(/^Unlike/);
        // Locator waits, not waitForFunction: a string predicate is eval'd, which the page's CSP refuses.
        await p.locator('#live-status', { hasText: /^Liked/ }).waitFor({ state: 'attached' });
      } else {
        // The redirect lands on the card, which takes focus; the message is in it.
        expect(new URL(p.url()).hash).toBe(`#thing-${id}`);
        expect(await p.evaluate('document.activeElement.id')).toBe(`thing-${id}`);
        expect(await box.locator('[role="status"]').textContent()).toMatch(/^Liked “/);
      }
      // The list is still the cached one: the count must not go back.
      await p.goto(`${stack.url}/?page=2`);
      expect(await countIn(p, `#thing-${id} [data-like-count]`)).toBe(before + 1);
      expect(stack.sandbox.likedIds(USERS[SETUPS.indexOf(setup)])).toContain(id);
    });

    it(`${label(setup)}: a refused like is an error on that card, not a green note at the top`, async () => {
      const p = page();
      await p.goto(`${stack.url}/?page=3`);
      const { card, id } = await likeableCard(p);
      stack.sandbox.addFault({ kind: 'status', status: 400, route: 'POST /things/:id/likes', times: 1 });
      await card.getByRole('button', { name: /^Like / }).click();
      const note = p.locator(`#thing-${id} [data-like-result]`);
      await note.waitFor();
      expect(await note.getAttribute('class')).toBe('flash error');
      expect(await note.textContent()).toMatch(/refused/);
      expect(await p.locator('main > .flash').count()).toBe(0);
      if (setup.js) {
        await p.locator('#live-alert', { hasText: 'refused' }).waitFor({ state: 'attached' });
        expect(await p.evaluate('document.activeElement.textContent')).toMatch(/^Like/);
      } else {
        expect(await note.getAttribute('role')).toBe('alert');
      }
      stack.sandbox.clearFaults();
    });

    it(`${label(setup)}: the thing page from a card's title: details, Like with the new count, 0 axe violations`, async () => {
      const p = page();
      await p.goto(`${stack.url}/?page=4`);
      const { card, id } = await likeableCard(p);
      const name = (await card.locator('h2').textContent())!.trim();
      await card.locator('h2 a').click();
      await p.waitForURL((u) => u.pathname === `/things/${id}`);
      expect((await p.locator('h1').textContent())!.trim()).toBe(name);
      await expectNoAxeViolations(p);
      const before = await countIn(p, '[data-like-count]');
      await p.getByRole('button', { name: /^Like / }).click();
      await p.getByRole('button', { name: /^Unlike / }).waitFor();
      await p.locator('[data-like-result]').getByText(/^Liked “/).waitFor();
      expect(await countIn(p, '[data-like-count]')).toBe(before + 1);
      if (setup.js) expect(await p.evaluate('document.activeElement.textContent')).toMatch(/^Unlike/);
      else expect(await p.evaluate('document.activeElement.id')).toBe(`thing-${id}`);
      await expectNoAxeViolations(p);
    });

    it(`${label(setup)}: search, then sort: the words are kept by the sort links and the pager; 0 axe violations`, async () => {
      const p = page();
      await p.goto(`${stack.url}/`);
      await p.getByRole('searchbox').fill('coaster');
      await p.getByRole('button', { name: 'Search', exact: true }).click();
      await p.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === 'coaster');
      expect(await p.locator('h1').textContent()).toBe('Search results for “coaster”');
      expect(await p.locator('nav.pager span').first().textContent()).toMatch(/^Page 1 of \d+ · [\d,]+ things?$/);
      await p.getByRole('navigation', { name: 'Sort' }).getByRole('link', { name: 'Newest' }).click();
      await p.waitForURL((u) => u.searchParams.get('sort') === 'newest' && u.searchParams.get('q') === 'coaster');
      expect(await p.getByRole('navigation', { name: 'Sort' }).locator('[aria-current="page"]').textContent()).toBe('Newest');
      expect(await p.locator('article.card').count()).toBeGreaterThan(0);
      await expectNoAxeViolations(p);
      await p.goto(`${stack.url}/?sort=makes&featured=1`);
      const next = p.getByRole('navigation', { name: 'Pages, bottom' }).locator('a[rel="next"]');
      if (await next.count()) expect(await next.getAttribute('href')).toMatch(/^\/\?sort=makes&featured=1&page=2$/);
      expect(await p.locator('h1').textContent()).toBe('Most made featured things');
    });

    it(`${label(setup)}: the box opens a thing from its Thingiverse address`, async () => {
      const p = page();
      await p.goto(`${stack.url}/`);
      const id = Number((await p.locator('article.card').first().getAttribute('id'))!.replace('thing-', ''));
      await p.getByRole('searchbox').fill(`https://www.thingiverse.com/thing:${id}`);
      await p.getByRole('button', { name: 'Search', exact: true }).click();
      await p.waitForURL((u) => u.pathname === `/things/${id}`);
    });

    it(`${label(setup)}: an error page and the empty search have 0 axe violations`, async () => {
      const p = page();
      await p.goto(`${stack.url}/?sort=bogus`);
      expect(await p.locator('h1').textContent()).toMatch(/not understood/);
      await expectNoAxeViolations(p);
      await p.goto(`${stack.url}/search`);
      await expectNoAxeViolations(p);
    });
  });

  if (extra === 'logged out') d('logged out at 390 px', () => {
    it('the first thing is on the first screen, under the login offer; 0 axe violations', async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
      try {
        const p = await context.newPage();
        await p.goto(`${stack.url}/`);
        await p.getByRole('link', { name: 'Log in with Thingiverse' }).first().waitFor();
        const first = await p.locator('article.card h2').first().boundingBox();
        expect(first!.y + first!.height).toBeLessThan(844);
        expect(await axeViolations(p)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });

  if (extra === 'focus ring') d('the focus ring', () => {
    it('has at least 3:1 contrast against the page and the buttons', async () => {
      const p = pages.get(SETUPS[0])!;
      await p.goto(`${stack.url}/`);
      await p.keyboard.press('Tab');
      await p.keyboard.press('Tab');
      const ratio = (await p.evaluate(`(() => {
        const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
        const ring = getComputedStyle(document.activeElement).outlineColor;
        const page = getComputedStyle(document.body).backgroundColor;
        const button = getComputedStyle(document.querySelector('.find button')).backgroundColor;
        return Math.min(contrast(ring, page), contrast(ring, 'rgb(255, 255, 255)'), contrast('rgb(255, 255, 255)', button));
      })()`)) as number;
      expect(ratio).toBeGreaterThanOrEqual(3);
    });
  });
}
