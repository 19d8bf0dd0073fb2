// A thing's description is HTML written by strangers. sanitize-html (2.17.5, the last
// release for Node 20) cuts it down to a small allow-list: text structure, links and
// images. Links may only be absolute http(s) and get rel="noopener noreferrer nofollow";
// images only from the configured image hosts (the same ones the CSP allows) and lazy.
// No style, no classes, no event handlers, no iframes/SVG/forms; anything else is dropped
// with its contents when it is a script-like element, unwrapped (text kept) otherwise.
import { createRequire } from 'node:module';
import type sanitizeHtml from 'sanitize-html';
import type { ImageFilter } from './images.js';

type Attrs = Record<string, string>;

// Loaded on the first description, not at start: with its parser and postcss it is about
// 9 MB of the process's memory, and a server that only shows lists never needs it.
let loaded: typeof sanitizeHtml | undefined;
const sanitizer = () => (loaded ??= createRequire(import.meta.url)('sanitize-html') as typeof sanitizeHtml);

const TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'a', 'img', 'code', 'pre', 'blockquote', 'h3', 'h4', 'h5', 'hr'];
/** Far beyond any real description; bounds the sanitizer's work on a hostile one. */
export const MAX_DESCRIPTION = 100_000;

function absoluteHttp(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export function createSanitizer(images: ImageFilter): (html: string) => string {
  const options: sanitizeHtml.IOptions = {
    allowedTags: TAGS,
    allowedAttributes: { a: ['href', 'rel'], img: ['src', 'alt', 'loading', 'decoding'] },
    allowedSchemes: ['http', 'https'],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // Their text is code or layout, never prose: drop it with the element.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'svg', 'math', 'template', 'object'],
    transformTags: {
      // Attributes are rebuilt, not filtered: only what we set survives.
      a: (_tag, attribs) => {
        const href = absoluteHttp(attribs.href);
        return { tagName: 'a', attribs: (href ? { href, rel: 'noopener noreferrer nofollow' } : {}) as Attrs };
      },
      img: (_tag, attribs) => {
        const src = images(absoluteHttp(attribs.src));
        const alt = (attribs.alt ?? '').slice(0, 300);
        return { tagName: 'img', attribs: (src ? { src, alt, loading: 'lazy', decoding: 'async' } : {}) as Attrs };
      },
      // Headings in a description sit below the page's own h1/h2.
      h1: 'h3',
      h2: 'h3',
    },
    exclusiveFilter: (frame) => {
      // An image from elsewhere goes; so does its space.
      if (frame.tag === 'img') return !frame.attribs.src;
      // A relative or script link keeps its words, loses the link (relative ones would point
      // into this app); a link left without text would be an unnamed link.
      if (frame.tag === 'a' && (!frame.attribs.href || !frame.text.trim())) return 'excludeTag';
      return false;
    },
  };
  return (html) => sanitizer()(html.slice(0, MAX_DESCRIPTION), options).trim();
}
