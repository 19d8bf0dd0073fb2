// Real Chromium (Debian's package) driven by playwright-core. In CI the browser must be
// there (.ci/run installs it); elsewhere a missing binary skips the suite with a reason.
import { execFileSync } from 'node:child_process';
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
