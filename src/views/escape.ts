// HTML escaping for every view (EJS's `escape` option, so `<%= %>` and `escapeFn` in templates).
// The same characters and entities as EJS's own escapeXML (& < > " ' → &amp; &lt; &gt; &#34;
// &#39;; null and undefined → ''; test/views-escape.test.ts compares the two), but a string with
// none of them, as most names, ids and URLs are, costs one regex test: EJS's replace() with a
// callback on every string was 7% of a warm page's CPU (npm run bench, --cpu-prof).
const SPECIAL = /[&<>"']/;
const EVERY_SPECIAL = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = typeof value === 'string' ? value : String(value);
  return SPECIAL.test(s) ? s.replace(EVERY_SPECIAL, (c) => ENTITY[c]!) : s;
}
