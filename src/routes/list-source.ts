// The lists and the thing page's extras, as the routes expect the client to offer them
// (listThings through /search, thingImages, the richer detail). Until the client's methods
// are on main this adapter falls back to what exists (popular only, no extra images), so the
// pages work and the fallback is one file to delete.
import type { Page, ThingDetail, ThingSummary, ThingiverseClient } from '../thingiverse/types.js';
import { HttpError } from '../http/http-error.js';
import type { ListSort } from './list-query.js';

export interface ListRequest {
  sort: ListSort;
  featured?: boolean;
  q?: string;
  page: number;
  perPage: number;
}

export interface ImageSize {
  type: string;
  size: string;
  url: string;
}

export interface ThingImage {
  id?: number;
  name?: string | null;
  sizes: ImageSize[];
}

/** The fields the thing page shows beyond the summary; all optional until the client has them. */
export type RichThing = ThingDetail & {
  descriptionHtml?: string | null;
  license?: string | null;
  tags?: ({ name: string } | string)[];
  makeCount?: number | null;
  collectCount?: number | null;
  added?: string | null;
  modified?: string | null;
};

type Extras = {
  list?(token: string, query: ListRequest): Promise<Page<ThingSummary>>;
  thingImages?(token: string, id: number): Promise<ThingImage[]>;
};

export function listThings(client: ThingiverseClient, token: string, query: ListRequest): Promise<Page<ThingSummary>> {
  const c = client as ThingiverseClient & Extras;
  if (c.list) return c.list(token, query);
  if (query.sort === 'popular' && !query.featured && !query.q) return client.popular(token, { page: query.page, perPage: query.perPage });
  return Promise.reject(new HttpError(503, 'This list is not available yet. Try the popular list.', 'Not available yet'));
}

/** Null when the client cannot list images: the page then shows the thing's own image. */
export function thingImages(client: ThingiverseClient, token: string, id: number): Promise<ThingImage[]> | null {
  const c = client as ThingiverseClient & Extras;
  return c.thingImages ? c.thingImages(token, id) : null;
}
