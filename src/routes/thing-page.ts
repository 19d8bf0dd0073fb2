// GET /things/:id: one thing, its images, what it is (description, license, tags, dates,
// counts) and Like/Unlike. The detail's is_liked is the viewer's truth, so the page never
// reads the liked-ids list, and the detail is always read fresh (its like state and counts
// change). The images are the same for everyone: read from /things/{id}/images in parallel
// on a first view, then from a shared cache, so a repeat view costs one upstream call. When
// they fail the page still shows with the thing's own image.
import type { Request, Response } from 'express';
import type { Config } from '../config.js';
import type { ThingImage, ThingiverseClient } from '../thingiverse/types.js';
import type { TtlCache } from '../services/ttl-cache.js';
import type { SessionUser } from '../middleware/session.js';
import { parseThingId } from '../middleware/params.js';
import { csrfToken } from '../middleware/csrf.js';
import type { ImageFilter } from '../views/images.js';

/** Biggest first: the page column is at most ~70rem, which display/large fits. */
const MAIN_SIZES = ['display:large', 'preview:featured', 'preview:large', 'display:medium', 'preview:card', 'thumb:large', 'preview:medium', 'thumb:medium'];
const MAX_IMAGES = 12;

/** A thing id, "thing:123", or a Thingiverse thing address (…/thing:123, …/thing:123/files); else null. */
export function thingRef(raw: string, siteOrigins: readonly string[] = []): number | null {
  const text = raw.trim();
  const plain = /^(?:thing:)?([1-9][0-9]{0,11})$/i.exec(text);
  if (plain) return Number(plain[1]);
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  const known = url.hostname === 'thingiverse.com' || url.hostname === 'www.thingiverse.com' || siteOrigins.includes(url.origin);
  const m = /^\/thing:([1-9][0-9]{0,11})(?:\/.*)?$/.exec(url.pathname);
  return known && m ? Number(m[1]) : null;
}

function bestSize(image: ThingImage | null | undefined, images: ImageFilter): string | null {
  if (!image || !Array.isArray(image.sizes)) return null;
  for (const wanted of MAIN_SIZES) {
    const found = image.sizes.find((s) => `${s.type}:${s.size}` === wanted);
    const ok = images(found?.url);
    if (ok) return ok;
  }
  return null;
}

const day = (iso: string | null | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toISOString().slice(0, 10) : null);

export function createThingPage(
  config: Config,
  deps: {
    client: ThingiverseClient;
    /** Galleries as Thingiverse sent them: every URL is checked against `images` on each render. */
    thingImagesCache: TtlCache<ThingImage[]>;
    images: ImageFilter;
    sanitize: (html: string) => string;
    viewer: (req: Request) => { user: SessionUser; token: string } | null;
  },
) {
  return async (req: Request, res: Response) => {
    const id = parseThingId(req.params.id);
    const v = deps.viewer(req);
    const token = v ? v.token : config.thingiverse.appToken;
    res.set('Cache-Control', 'private, no-store');
    if (!token) {
      return res.status(401).render('error', { title: 'Please log in', message: 'Log in with Thingiverse to see this thing.', showLogin: true });
    }
    const [thing, gallery] = await Promise.all([
      deps.client.thing(token, id),
      // The images are a nice-to-have: their failure must not cost the page (and is not cached).
      deps.thingImagesCache.get(String(id), () => deps.client.thingImages(token, id), deps.client.keyFor(token)).catch(() => null),
    ]);
    const pictures = (gallery ?? [])
      .map((img) => bestSize(img, deps.images))
      .filter((src): src is string => src !== null)
      .slice(0, MAX_IMAGES);
    if (pictures.length === 0) {
      const fallback = deps.images(thing.image);
      if (fallback) pictures.push(fallback);
    }
    const creatorUrl = thing.creator?.publicUrl ?? null;
    const flash = res.locals.flash as { thingId?: number } | null;
    res.render('thing', {
      title: thing.name,
      thing: {
        id: thing.id,
        name: thing.name,
        publicUrl: thing.publicUrl,
        creator: thing.creator,
        creatorThingsUrl: creatorUrl ? `${creatorUrl.replace(/\/+$/, '')}/designs` : null,
        pictures,
        sanitizedDescription: thing.descriptionHtml ? deps.sanitize(thing.descriptionHtml) || null : null,
        license: thing.license ?? null,
        tags: thing.tags.map((t) => t.name).filter(Boolean).slice(0, 40),
        added: day(thing.added ?? thing.createdAt),
        modified: day(thing.modified),
        likeCount: thing.likeCount,
        makeCount: thing.makeCount ?? null,
        collectCount: thing.collectCount ?? null,
      },
      own: v !== null && thing.creator?.id === v.user.id,
      isLiked: thing.isLiked,
      csrf: v ? csrfToken(req) : null,
      returnTo: `/things/${thing.id}`,
      flashAt: flash?.thingId === thing.id ? thing.id : null,
    });
  };
}
