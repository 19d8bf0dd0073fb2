// Real Chromium (Debian's package) driven by playwright-core. In CI the browser must be
// there (.ci/run installs it); elsewhere a missing binary skips the suite with a reason.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export function chromiumPath(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not this one
    }
  }
  return null;
}

export async function launch(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is not installed (apt-get install -y chromium)');
  return chromium.launch({ executablePath, headless: true, args: ['--disable-gpu', '--disable-quic'] });
}

/** Collects CSP violations and console errors a page reports. */
export async function watchPage(page: Page): Promise<{ csp: string[]; errors: string[]; dialogs: string[] }> {
  const seen = { csp: [] as string[], errors: [] as string[], dialogs: [] as string[] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.errors.push(msg.text());
    if (/Content Security Policy/i.test(msg.text())) seen.csp.push(msg.text());
  });
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  // Init scripts come from the driver, not the page, so CSP does not block this listener.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return seen;
}

/** WCAG 2.2 AA, as the issue asks: the rules axe-core tags for A and AA up to 2.2. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE = path.join(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

/**
 * axe-core's violations on the page as "rule: target" lines (empty = none). The script is
 * added as a tag, which the app's CSP refuses: use it in a context made with bypassCSP
 * (the CSP itself is checked by the tests that watch for violations).
 * With JavaScript off axe cannot run in the page (its timers never fire), so it runs on an
 * exact copy of that page's HTML, same origin and styles, in a page whose scripts are blocked.
 */
// One scripts-blocked copy page per browser, reused: a context per check cost seconds.
const copies = new WeakMap<Browser, Promise<Page>>();
function copyPage(browser: Browser): Promise<Page> {
  let p = copies.get(browser);
  if (!p) {
    p = (async () => {
      const context = await browser.newContext({ bypassCSP: true });
      await context.route(/\.js(\?|$)/, (route) => route.abort());
      return context.newPage();
    })();
    copies.set(browser, p);
  }
  return p;
}

export async function axeViolations(page: Page, opts: { javaScript?: boolean } = {}): Promise<string[]> {
  let target = page;
  if (opts.javaScript === false) {
    target = await copyPage(page.context().browser()!);
    const size = page.viewportSize();
    if (size) await target.setViewportSize(size);
    const html = await page.content();
    const origin = new URL(page.url()).origin;
    if (!target.url().startsWith(origin)) await target.goto(`${origin}/__axe-copy`);
    await target.setContent(html, { waitUntil: 'load' });
  }
  if (!(await target.evaluate('typeof window.axe !== "undefined"'))) await target.addScriptTag({ path: AXE });
  return (await target.evaluate(`window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} } })
    .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`)) as string[];
}
