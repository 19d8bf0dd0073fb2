// npm run screenshot: fresh pictures of the app for the README (docs/screenshot.png: the
// popular list, logged in; docs/screenshot-thing.png: a thing page), against the sandbox in
// real Chromium. Separate from npm test, which must not rewrite tracked files.
import fs from 'node:fs';
import path from 'node:path';
import { startStack } from '../test/helpers/stack.js';
import { launch } from '../test/helpers/browser.js';

const DOCS = path.join(import.meta.dirname, '..', 'docs');
const stack = await startStack();
const browser = await launch();
try {
  const [name, value] = (await stack.loginCookie('ada_maker')).split('=');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name, value, url: stack.url }]);
  const page = await context.newPage();
  fs.mkdirSync(DOCS, { recursive: true });
  await page.goto(stack.url);
  await page.screenshot({ path: path.join(DOCS, 'screenshot.png') });
  await page.locator('article h2 a').first().click();
  await page.waitForURL((u) => u.pathname.startsWith('/things/'));
  await page.screenshot({ path: path.join(DOCS, 'screenshot-thing.png') });
  for (const file of ['screenshot.png', 'screenshot-thing.png']) {
    const size = fs.statSync(path.join(DOCS, file)).size;
    if (size < 10_000) throw new Error(`${file} is only ${size} bytes: the page did not render`);
    console.log(`docs/${file}: ${Math.round(size / 1024)} KiB`);
  }
} finally {
  await browser.close();
  await stack.close();
}
