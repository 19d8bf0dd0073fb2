// The views' HTML escaping (src/views/escape.ts) gives exactly what EJS's own escapeXML gives,
// on strings with and without characters to escape, on other types, and through a template.
import { describe, it, expect } from '@jest/globals';
import { createRequire } from 'node:module';
import path from 'node:path';
import { escapeHtml } from '../src/views/escape.js';
import { ejsOptions } from '../src/views/engine.js';

const require = createRequire(import.meta.url);
const ejs = require('ejs') as { render(t: string, d: object, o: object): string };
// Not an export of the package: next to its main file.
const ejsUtils = require(path.join(path.dirname(require.resolve('ejs')), 'utils.js')) as { escapeXML(v: unknown): string };

const VALUES: unknown[] = [
  '', 'plain name', 'Dragon & "friends" <v2>', "it's", '&amp; already', '<<>>', '"\'&<>', 'é 🙂 \u0000 \t\n',
  'javascript:alert(1)', '</script><script>x</script>', 0, 42, -1.5, NaN, true, false, null, undefined,
  ['a', '<b>'], { toString: () => '<obj>' }, 2n ** 64n,
];

describe('escapeHtml', () => {
  it('gives what EJS escapeXML gives for every value', () => {
    for (const v of VALUES) expect({ v, out: escapeHtml(v) }).toEqual({ v, out: ejsUtils.escapeXML(v) });
  });

  it('escapes each of & < > " \' wherever it is in a longer string', () => {
    for (const c of ['&', '<', '>', '"', "'"]) {
      for (const s of [c, `x${c}`, `${c}x`, `a${c}b${c}c`, 'y'.repeat(500) + c]) expect(escapeHtml(s)).toBe(ejsUtils.escapeXML(s));
    }
    expect(escapeHtml('a<b')).toBe('a&lt;b');
  });

  it('is what the views escape with: <%= %> of a hostile name', () => {
    expect(ejsOptions(true).escape).toBe(escapeHtml);
    const html = ejs.render('<p><%= name %></p>', { name: '<img src=x onerror=alert(1)>' }, { ...ejsOptions(false), _with: true });
    expect(html).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
  });
});
