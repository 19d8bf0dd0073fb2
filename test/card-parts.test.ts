// A card's parts made once per thing (src/views/card-parts.ts): everything a stranger wrote is
// escaped, the parts are made once per thing object and again for a new one, and rows with
// nothing to key them by are made each time.
import { describe, it, expect } from '@jest/globals';
import { cardParts, type CardFields } from '../src/views/card-parts.js';

const hostile: CardFields = {
  id: 7,
  name: '<img src=x onerror=alert(1)> & "quotes" \'single\'',
  image: 'https://cdn.thingiverse.com/a.jpg?x="><script>alert(1)</script>',
  creator: { displayName: '</p><script>alert(2)</script>' },
  publicUrl: 'https://www.thingiverse.com/thing:7"onmouseover="alert(3)',
};

describe('cardParts', () => {
  it('escapes the name, creator, image and link wherever they appear', () => {
    const p = cardParts(hostile);
    expect(p.idHtml).toBe('7');
    expect(p.nameHtml).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34; &#39;single&#39;');
    expect(p.ownHtml).not.toMatch(/<script|<img src=x|"onmouseover|"><|<\/p><s/);
    expect(p.ownHtml).toContain(`<h2><a href="/things/7">${p.nameHtml}</a></h2>`);
    expect(p.ownHtml).toContain('by &lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(p.ownHtml).toContain('src="https://cdn.thingiverse.com/a.jpg?x=&#34;&gt;&lt;script&gt;');
    expect(p.ownHtml).toContain('href="https://www.thingiverse.com/thing:7&#34;onmouseover=&#34;alert(3)"');
    expect(p.ownHtml).toContain(`(${p.nameHtml}, opens in a new tab)`);
  });

  it('leaves out what a thing does not have: a placeholder for no image, no creator, no link', () => {
    const p = cardParts({ id: 8, name: 'Plain', image: null, creator: null, publicUrl: null });
    expect(p.ownHtml).toContain('<span class="noimg"></span>');
    expect(p.ownHtml).not.toMatch(/<img|class="by"|View on Thingiverse/);
  });

  it('is made once per thing object, again for a new object, and every time without one', () => {
    const thing = {};
    const first = cardParts({ ...hostile, name: 'First' }, thing);
    expect(cardParts({ ...hostile, name: 'Changed' }, thing)).toBe(first);
    expect(cardParts({ ...hostile, name: 'Changed' }, {}).nameHtml).toBe('Changed');
    expect(cardParts({ ...hostile, name: 'A' }).nameHtml).toBe('A');
    expect(cardParts({ ...hostile, name: 'B' }).nameHtml).toBe('B');
  });
});
