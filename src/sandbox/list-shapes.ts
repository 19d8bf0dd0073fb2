// List items: /popular, /newest, /featured, search hits and /users/{u}/likes. Two shapes, because
// Thingiverse changed them without notice and the app must cope with both (API doc 3.1 and 4.1):
// - 'current' (2021 capture plus the fields 2025 search hits carry: rank, is_featured, is_ai, moderation flags);
// - 'legacy' (2019-2020 /newest): boolean flags, a small creator, no created_at, counts or tags.
import { allowsDerivatives, creatorSummary, tagObject, thingImg, type Ctx } from './shapes.js';
import type { SeedThing } from './seed.js';

export type ListShape = 'current' | 'legacy';
export const LIST_SHAPES: readonly ListShape[] = ['current', 'legacy'];

/** The current list item. `rank` is the 1-based place in a popularity list, else null. */
export function listItem(c: Ctx, t: SeedThing, rank: number | null = null) {
  return {
    id: t.id, name: t.name, url: `${c.origin}/things/${t.id}`, public_url: `${c.origin}/thing:${t.id}`,
    created_at: t.createdAt, thumbnail: thingImg(c, t, 'thumb', 'medium'),
    preview_image: thingImg(c, t, 'preview', 'card'),
    creator: creatorSummary(c, c.state.usersById.get(t.creatorId)!),
    is_private: 0, is_purchased: 0, is_published: 1, comment_count: t.commentCount,
    like_count: c.state.likeCount(t), collect_count: t.collectCount, make_count: t.makeCount,
    tags: t.tags.map((name) => tagObject(c, name)), is_nsfw: null,
    rank, is_featured: t.isFeatured, is_edu_approved: null, is_printable: true, is_winner: false,
    allows_derivatives: allowsDerivatives(t), is_ai: false, moderation: '', is_banned: false,
    needs_moderation: 0, is_decoy: 0, is_comments_disabled: false,
  };
}

/** The 2019 /newest item, field for field (Openverse's capture, API doc 3.1). */
function legacyItem(c: Ctx, t: SeedThing) {
  const creator = creatorSummary(c, c.state.usersById.get(t.creatorId)!);
  return {
    id: t.id, name: t.name, url: `${c.origin}/things/${t.id}`, public_url: `${c.origin}/thing:${t.id}`,
    thumbnail: thingImg(c, t, 'thumb', 'medium'),
    creator: {
      id: creator.id, name: creator.name, first_name: creator.first_name, last_name: creator.last_name,
      url: creator.url, public_url: creator.public_url, thumbnail: creator.thumbnail, accepts_tips: creator.accepts_tips,
    },
    is_private: false, is_purchased: false, is_published: true,
  };
}

/**
 * The item in whichever shape the sandbox is set to serve.
 * Choice: the legacy switch changes list items only: search keeps its {total, hits} wrapper (it came in
 * May 2020, inside the 2019-2020 span) and the thing detail keeps today's shape.
 */
export function listEntry(c: Ctx, t: SeedThing, rank: number | null = null) {
  return c.state.listShape === 'legacy' ? legacyItem(c, t) : listItem(c, t, rank);
}

/** /featured items also carry spotlight_images {large, small} (featured_schema.yaml); Choice: in both shapes. */
export function featuredEntry(c: Ctx, t: SeedThing) {
  return {
    ...listEntry(c, t),
    spotlight_images: { large: thingImg(c, t, 'display', 'large'), small: thingImg(c, t, 'preview', 'card') },
  };
}
