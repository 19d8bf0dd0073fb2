// Generated placeholder images: the real CDN is unreachable offline, so the sandbox draws its own.
import { escapeHtml } from './http.js';

const initials = (text: string): string =>
  text
    .split(/\s+/)
    .map((w) => /[\p{L}\p{N}]/u.exec(w)?.[0])
    .filter((c): c is string => c !== undefined)
    .slice(0, 2)
    .join('')
    .toUpperCase() || '?';

// One of four shapes per thing, so neighbouring cards look different.
const SHAPES = [
  '<circle cx="160" cy="120" r="80"/>',
  '<polygon points="160,30 260,200 60,200"/>',
  '<rect x="80" y="40" width="160" height="160" rx="24"/>',
  '<polygon points="160,30 238,75 238,165 160,210 82,165 82,75"/>',
];

/**
 * A 320×240 tile: a colour and a shape from the id (and the image's place in the gallery), and
 * the thing's initials (escaped: names hold `<&"`).
 */
export function thingSvg(id: number, name: string, image = 0): string {
  const hue = (id * 47 + image * 100) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240" role="img" aria-label="${escapeHtml(name)}">
<rect width="320" height="240" fill="hsl(${hue},45%,38%)"/>
<g fill="hsl(${(hue + 40) % 360},70%,78%)" opacity="0.85">${SHAPES[(id + image) % SHAPES.length]}</g>
<text x="160" y="142" font-family="sans-serif" font-size="60" font-weight="bold" text-anchor="middle" fill="#1b1b1b">${escapeHtml(initials(name))}</text>
</svg>`;
}

/** A round 200×200 avatar with the user's initials. */
export function userSvg(name: string, fullName: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200" role="img" aria-label="${escapeHtml(name)}">
<circle cx="100" cy="100" r="100" fill="hsl(${hash % 360},50%,42%)"/>
<text x="100" y="122" font-family="sans-serif" font-size="64" text-anchor="middle" fill="#fff">${escapeHtml(initials(fullName))}</text>
</svg>`;
}

/** A one-triangle ASCII STL: what a thumbnail URL ending in `.stl` really serves (a model, not a picture). */
export function thingStl(name: string): string {
  const solid = name.replace(/[^\x20-\x7e]/g, '?').trim() || 'thing';
  return `solid ${solid}
  facet normal 0 0 1
    outer loop
      vertex 0 0 0
      vertex 10 0 0
      vertex 0 10 0
    endloop
  endfacet
endsolid ${solid}
`;
}
