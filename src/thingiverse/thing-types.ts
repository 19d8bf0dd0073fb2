// The shapes of things the app sees: list items, the thing page's detail and its images.
// Re-exported by types.ts; kept apart so each file stays small.

export interface Creator {
  id: number;
  /** The username (canonical case). */
  name: string;
  /** "First Last" when known, else the username. */
  displayName: string;
  publicUrl: string | null;
  thumbnail: string | null;
}

export interface ThingSummary {
  id: number;
  /** Trimmed; Thingiverse names can carry trailing spaces. */
  name: string;
  publicUrl: string | null;
  /** Best card-size image: preview_image, else thumbnail; null when neither is an http(s) URL. */
  image: string | null;
  creator: Creator | null;
  /** null when upstream sent none (the 2019-2020 list shape has no like_count): show none, not 0. */
  likeCount: number | null;
  createdAt: string | null;
}

export interface Tag {
  name: string;
  /** The slug used in tag URLs. */
  tag: string;
}

export interface ThingDetail extends ThingSummary {
  /** Viewer state for the token's user; false for an App Token. */
  isLiked: boolean;
  /** Raw HTML written by strangers: sanitize before rendering. null when absent. */
  descriptionHtml: string | null;
  /** Human-readable, e.g. "Creative Commons - Attribution". */
  license: string | null;
  tags: Tag[];
  /** ISO dates as sent (`added`, `modified`). */
  added: string | null;
  modified: string | null;
  makeCount: number | null;
  collectCount: number | null;
}

export interface ImageSize {
  /** e.g. 'display', 'preview', 'thumb'. */
  type: string;
  /** e.g. 'large', 'card', 'medium'. */
  size: string;
  url: string;
  /** From the size's own fields, else from the resize URL's w/h; null when unknown. */
  width: number | null;
  height: number | null;
}

export interface ThingImage {
  id: number | null;
  name: string | null;
  /** Only http(s) image URLs; an image with no usable size is dropped. */
  sizes: ImageSize[];
}
