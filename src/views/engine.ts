// How the app renders its EJS views. Two choices here decide most of a page's CPU:
// - `_with: false`: EJS wraps a template in `with (locals) { … }` by default, which makes
//   every name inside a dynamic lookup and keeps V8 from optimising the function; the
//   30-card grid rendered in 445 µs that way and in 182 µs without it (same output). Each
//   template therefore starts by taking what it uses from `locals` (test/views-locals.test.ts
//   checks that no template uses a name it did not take, so a rare branch cannot throw).
// - `root`: EJS checks the file system (a stat) for every include it resolves, even with its
//   template cache on; includes written as '/partials/x' resolve under root without one.
// With the view cache on (production) the compiled functions skip EJS's line tracking
// (`compileDebug`), which only improves error messages during development. Escaping is
// escape.ts's (the same output as EJS's, faster on strings with nothing to escape).
import path from 'node:path';
import { createRequire } from 'node:module';
import { escapeHtml } from './escape.js';

export const VIEWS = path.join(import.meta.dirname, '..', '..', 'views');

// ejs ships no types; these are the calls the app makes.
const ejs = createRequire(import.meta.url)('ejs') as {
  renderFile(file: string, data: object, opts: object, done: (err: Error | null, html?: string) => void): void;
};

export function ejsOptions(cache: boolean) {
  return { root: VIEWS, views: [VIEWS], cache, _with: false, localsName: 'locals', compileDebug: !cache, escape: escapeHtml };
}

export type RenderDone = (err: Error | null, html?: string) => void;

/**
 * An Express view engine for .ejs files with the options above. Express adds its own
 * `settings`, `_locals` and `cache` to every view's data; no template reads them (the options
 * are passed here), and EJS copies every key of the data into each include (6 on a list
 * page), so they are left out: the copies took 7.8% of a warm page's CPU with them.
 */
export function ejsEngine(cache: () => boolean) {
  return (file: string, data: object, done: RenderDone) => {
    const { settings: _settings, _locals, cache: _cache, ...locals } = data as Record<string, unknown>;
    ejs.renderFile(file, locals, ejsOptions(cache()), done);
  };
}
