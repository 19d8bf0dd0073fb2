// Which image URLs from Thingiverse a page may show. Real data carries `.stl` (and other
// file) URLs where an image belongs, and any URL could point anywhere: only http(s) URLs on
// the configured image hosts with an image-looking path are shown; everything else gets
// the placeholder. The CSP's img-src lists the same hosts, so the two cannot disagree.
// SVG is fine in <img>: scripts in it never run there (the sandbox draws its images as SVG).
import { memoByString } from '../memo.js';

const IMAGE_PATH = /\.(jpe?g|png|gif|webp|avif|svg)$/i;
// Model and archive files that show up as "thumbnails": never an image, whatever the host.
const NOT_IMAGE = /\.(stl|obj|3mf|step|stp|scad|zip|gcode|amf|ply|blend|f3d|dxf|pdf)$/i;

export type ImageFilter = (url: string | null | undefined) => string | null;

export function imageFilter(origins: readonly string[]): ImageFilter {
  // Parsing 30 URLs was a tenth of a warm page's own work; a URL's verdict never changes.
  const judge = memoByString(judgeImage(new Set(origins)));
  return (url) => (typeof url !== 'string' || url.length > 2048 ? null : judge(url));
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
