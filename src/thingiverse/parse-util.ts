// Small readers for untrusted JSON. Thingiverse has changed shapes without notice (0/1 vs
// booleans, bare arrays vs {total, hits}, fields appearing and vanishing), so every reader
// takes `unknown` and falls back instead of trusting a declared type.
import type { UpstreamErrorKind } from './types.js';
import { memoByString } from '../memo.js';

/** Thrown by the parsers; the client turns it into an UpstreamError with the operation attached. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  constructor(
    message: string,
    readonly kind: UpstreamErrorKind = 'bad_response',
  ) {
    super(message);
  }
}

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed, non-empty string, or null. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A positive safe integer id; numeric strings are accepted because ids have come back as strings (user_id). */
export function positiveId(value: unknown): number | null {
  const n = typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** A count (0 or more); anything else gives null. */
export function count(value: unknown): number | null {
  const n = typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** JSON booleans (2019) and 0/1 integers (2021 on) both appear for the same flag. */
export function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/**
 * Only absolute http(s) URLs survive (P2): a `javascript:` or `data:` URL from upstream
 * must never reach an <img src> or <a href>. Returns the URL as normalised by WHATWG URL.
 */
export function httpUrl(value: unknown): string | null {
  const raw = text(value);
  return raw === null ? null : rememberedHttpUrl(raw);
}

function parseHttp(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

const rememberedHttpUrl = memoByString((raw) => parseHttp(raw)?.href ?? null);

// Real thumbnails sometimes point at the model file itself (`..._thumb_medium.stl`).
const NOT_IMAGES = new Set(['stl', 'obj', '3mf', 'amf', 'zip', 'gcode', 'scad', 'step', 'stp', 'f3d', 'blend', 'ply', 'dxf', 'pdf']);

function extension(path: string): string | null {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(path);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * An http(s) URL that can be an image: a known non-image extension (also inside a resize
 * URL's `url=` parameter) is refused, so the page shows the placeholder, not a broken image.
 */
export function imageUrl(value: unknown): string | null {
  const raw = text(value);
  return raw === null ? null : rememberedImageUrl(raw);
}

function checkImageUrl(raw: string): string | null {
  const url = parseHttp(raw);
  if (url === null) return null;
  const href = url.href;
  const inner = url.searchParams.get('url');
  for (const path of [url.pathname, inner ?? '']) {
    const ext = extension(path.split('?')[0]!);
    if (ext !== null && NOT_IMAGES.has(ext)) return null;
  }
  return href;
}
const rememberedImageUrl = memoByString(checkImageUrl);

/** An ISO-ish date string as sent; only checked to be a parseable date. */
export function date(value: unknown): string | null {
  const raw = text(value);
  return raw !== null && !Number.isNaN(Date.parse(raw)) ? raw : null;
}
