// Which image URLs from Thingiverse a page may show. Real data carries `.stl` (and other
// file) URLs where an image belongs, and any URL could point anywhere: only http(s) URLs on
// the configured image hosts with an image-looking path are shown; everything else gets
// the placeholder. The CSP's img-src lists the same hosts, so the two cannot disagree.
// SVG is fine in <img>: scripts in it never run there (the sandbox draws its images as SVG).
const IMAGE_PATH = /\.(jpe?g|png|gif|webp|avif|svg)$/i;
// Model and archive files that show up as "thumbnails": never an image, whatever the host.
const NOT_IMAGE = /\.(stl|obj|3mf|step|stp|scad|zip|gcode|amf|ply|blend|f3d|dxf|pdf)$/i;

export type ImageFilter = (url: string | null | undefined) => string | null;

/** How many verdicts one filter remembers: every card of a page asks again on each view. */
const REMEMBERED = 5_000;

export function imageFilter(origins: readonly string[]): ImageFilter {
  const judge = judgeImage(new Set(origins));
  // Parsing 30 URLs was a tenth of a warm page's own work; the verdict for a URL never
  // changes, so it is kept (bounded: a full memory starts again, no eviction bookkeeping).
  const seen = new Map<string, string | null>();
  return (url) => {
    if (typeof url !== 'string' || url.length > 2048) return null;
    let verdict = seen.get(url);
    if (verdict === undefined) {
      verdict = judge(url);
      if (seen.size >= REMEMBERED) seen.clear();
      seen.set(url, verdict);
    }
    return verdict;
  };
}

function judgeImage(allowed: ReadonlySet<string>): (url: string) => string | null {
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    if (!allowed.has(parsed.origin) || parsed.username || parsed.password) return null;
    if (NOT_IMAGE.test(parsed.pathname)) return null;
    // resize.thingiverse.com/?url=… has no extension of its own: judge the wrapped URL.
    const inner = parsed.searchParams.get('url');
    if (inner !== null && NOT_IMAGE.test(inner.split(/[?#]/)[0])) return null;
    if (!IMAGE_PATH.test(parsed.pathname) && inner === null) return null;
    return parsed.href;
  };
}
