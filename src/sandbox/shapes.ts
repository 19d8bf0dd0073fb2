// JSON shapes, field for field like the real captures (popular-2021.json, thing-detail.json, API doc 4.x):
// 0/1 integers where Thingiverse uses them, booleans where it uses those, and its field names.
import { escapeHtml } from './http.js';
import type { SeedThing, SeedUser } from './seed.js';
import type { SandboxState } from './state.js';

/** `url` points at the API and `public_url` at the website; here both live on the sandbox's origin. */
export interface Ctx {
  origin: string;
  state: SandboxState;
}

/**
 * A thing's picture in one render size. Image 0 is the default image; `.stl` things point at the
 * model file itself, with no render (Choice: every size of their first image is the same .stl URL).
 */
export function thingImg(c: Ctx, t: SeedThing, type: string, size: string, image = 0): string {
  if (t.stlThumbnail && image === 0) return `${c.origin}/img/things/${t.id}.stl`;
  return `${c.origin}/img/things/${t.id}.svg?type=${type}&size=${size}${image > 0 ? `&image=${image}` : ''}`;
}
const userImg = (c: Ctx, u: SeedUser, q = '') => `${c.origin}/img/users/${encodeURIComponent(u.name)}.svg${q}`;
// Choice: a user's website page is /u/<name>, so it cannot clash with API paths such as /popular.
const userPublicUrl = (c: Ctx, u: SeedUser) => `${c.origin}/u/${encodeURIComponent(u.name)}`;

export function creatorSummary(c: Ctx, u: SeedUser) {
  return {
    id: u.id, name: u.name, first_name: u.firstName, last_name: u.lastName,
    url: `${c.origin}/users/${encodeURIComponent(u.name)}`, public_url: userPublicUrl(c, u),
    thumbnail: userImg(c, u), count_of_followers: u.followers, count_of_following: u.following,
    count_of_designs: c.state.designCount(u.id), collection_count: 0, make_count: 0, accepts_tips: false,
    is_following: false, location: u.location, cover: userImg(c, u, '?cover=1'),
    is_admin: false, is_moderator: false, is_featured: false, is_verified: false,
  };
}

/** 'Raspberry Pi' → 'raspberry_pi', the way Thingiverse slugs tags. */
export function tagSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '_');
}

export function tagObject(c: Ctx, name: string) {
  const slug = tagSlug(name);
  return {
    name, tag: slug, url: `${c.origin}/tags/${slug}`, count: c.state.seed.tagCounts.get(name) ?? 0,
    things_url: `${c.origin}/tags/${slug}/things`, absolute_url: `${c.origin}/tag:${slug}`,
  };
}

const IMAGE_SIZES = [
  ['thumb', 'large'], ['thumb', 'medium'], ['thumb', 'small'], ['thumb', 'tiny'],
  ['preview', 'featured'], ['preview', 'card'], ['preview', 'large'], ['preview', 'medium'],
  ['preview', 'small'], ['preview', 'birdwing'], ['preview', 'tiny'], ['preview', 'tinycard'],
  ['display', 'large'], ['display', 'medium'], ['display', 'small'],
] as const;

// Choice: 1 to 3 images per thing, from its id; the real count varies from 1 to dozens.
const imageCount = (t: SeedThing) => 1 + (t.id % 3);

/** One image object of /things/{id}/images and default_image: {id, url, name, sizes: [{type, size, url}], added}. */
function imageObject(c: Ctx, t: SeedThing, image: number) {
  const stl = t.stlThumbnail && image === 0;
  const name = stl ? `${tagSlug(t.name.trim()).slice(0, 40)}.stl` : `${t.id}${image > 0 ? `-${image}` : ''}.svg`;
  return {
    id: t.id * 3 + image,
    url: stl ? thingImg(c, t, '', '') : `${c.origin}/img/things/${t.id}.svg${image > 0 ? `?image=${image}` : ''}`,
    name,
    sizes: IMAGE_SIZES.map(([type, size]) => ({ type, size, url: thingImg(c, t, type, size, image) })),
    added: t.createdAt,
  };
}

/** GET /things/{id}/images: the default image first. */
export function thingImages(c: Ctx, t: SeedThing) {
  return Array.from({ length: imageCount(t) }, (_, i) => imageObject(c, t, i));
}

/**
 * description_html: one <p> per paragraph, escaped, except a hostile thing's HTML paragraph, which
 * is sent raw, as Thingiverse sends what its users wrote.
 */
function descriptionHtml(t: SeedThing): string {
  const paragraphs = t.description.trim().split(/\r\n\r\n/);
  const html = paragraphs.map((p, i) => (t.hostile !== undefined && i === 1 ? p : `<p>${escapeHtml(p)}</p>`));
  return `<div>${html.join('')}</div>`;
}

/** Real licences without derivatives are the "No Derivatives" ones; the seed marks GPL things instead. */
export const allowsDerivatives = (t: SeedThing) => !t.license.includes('GPL');

/** GET /things/{id}. `viewerId` is the token's user (null for an App Token). */
export function thingDetail(c: Ctx, t: SeedThing, viewerId: number | null) {
  const api = `${c.origin}/things/${t.id}`;
  const html = descriptionHtml(t);
  const image = imageObject(c, t, 0);
  const file = `${tagSlug(t.name.trim()).slice(0, 40)}.stl`;
  return {
    id: t.id, name: t.name, thumbnail: thingImg(c, t, 'display', 'large'), url: api,
    public_url: `${c.origin}/thing:${t.id}`, creator: creatorSummary(c, c.state.usersById.get(t.creatorId)!),
    added: t.createdAt, modified: t.modifiedAt, is_published: 1, is_wip: 0, is_featured: t.isFeatured,
    is_nsfw: false, is_ai: false, is_winner: false, is_edu_approved: false, is_printable: 1,
    like_count: c.state.likeCount(t), is_liked: c.state.isLiked(viewerId, t.id), collect_count: t.collectCount,
    is_collected: false, comment_count: t.commentCount, is_watched: false,
    default_image: image,
    description: t.description, instructions: '', description_html: html, instructions_html: '<div></div>',
    details: `<div><h1 class="thing-component-header summary summary">Summary</h1>${html}</div>`,
    details_parts: [{ type: 'summary', name: 'Summary', required: 'required', data: [{ content: html }] }],
    edu_details: '', edu_details_parts: [], license: t.license, allows_derivatives: allowsDerivatives(t),
    files_url: `${api}/files`, images_url: `${api}/images`, likes_url: `${api}/likes`,
    ancestors_url: `${api}/ancestors`, derivatives_url: `${api}/derivatives`, tags_url: `${api}/tags`,
    categories_url: `${api}/categories`, file_count: t.fileCount, is_private: 0, is_purchased: 0, app_id: null,
    download_count: t.downloadCount, view_count: t.viewCount, education: { grades: [], subjects: [] },
    remix_count: 0, make_count: t.makeCount, app_count: 0, root_comment_count: t.commentCount,
    moderation: '', is_derivative: false, ancestors: [], type_name: 'Thing', is_banned: false,
    is_comments_disabled: false, needs_moderation: 0, is_decoy: 0,
    zip_data: { files: [{ name: file, url: `${api}/files/${file}` }], images: [{ name: image.name, url: image.url }] },
    tags: t.tags.map((name) => tagObject(c, name)),
  };
}

/** GET /users/{name}; `self` adds the fields only your own profile carries. */
export function userProfile(c: Ctx, u: SeedUser, self: boolean) {
  const api = `${c.origin}/users/${encodeURIComponent(u.name)}`;
  const summary = creatorSummary(c, u);
  return {
    ...summary, full_name: `${u.firstName} ${u.lastName}`,
    // Choice: default_license only on /users/me; another user's email is "" (real profiles send the
    // string fields they hide or lack as "", never null).
    email: self ? `${u.name}@sandbox.invalid` : '', ...(self ? { default_license: 'cc' } : {}),
    bio: u.bio, bio_html: `<div><p>${escapeHtml(u.bio)}</p></div>`, level: 10, country: '',
    registered: u.registered, last_active: u.lastActive, cover_image: summary.cover,
    things_url: `${api}/things`, copies_url: `${api}/copies`, likes_url: `${api}/likes`,
    printers: [], programs: [], types: [], skill_level: 'Intermediate', groups: [], website: '', twitter: null,
    like_count: c.state.likedIds(u.id).length, has_favorite: false, favorite_count: 0,
  };
}
