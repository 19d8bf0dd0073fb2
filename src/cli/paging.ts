// Walks pages of a list: --limit N things from --page, or --all pages until a short page.
// Every page goes through the pacer, so --all stays inside the rate limit.
import type { Page, ThingSummary } from '../thingiverse/types.js';
import type { Pacer } from './pacer.js';
import type { Interrupt } from './interrupt.js';

export interface PagingFlags {
  page?: number;
  limit?: number;
  all?: boolean;
}

export async function* walk(
  fetchPage: (page: number, perPage: number) => Promise<Page<ThingSummary>>,
  flags: PagingFlags,
  pacer: Pacer,
  interrupt?: Interrupt,
): AsyncGenerator<ThingSummary> {
  const wanted = flags.all ? Infinity : (flags.limit ?? 20);
  const perPage = flags.all ? 100 : Math.min(100, wanted);
  let seen = 0;
  for (let page = flags.page ?? 1; seen < wanted && page <= 10_000; page++) {
    if (interrupt?.stopped) return;
    const answer = await pacer.run(() => fetchPage(page, perPage));
    for (const item of answer.items) {
      if (seen >= wanted) return;
      seen += 1;
      yield item;
    }
    const end = answer.total !== null ? page * perPage >= answer.total : answer.items.length < perPage;
    if (end || answer.items.length === 0) return;
  }
}

/** The record a list prints with --json: the export format's field names, one vocabulary. */
export function thingRecord(t: ThingSummary) {
  return { id: t.id, name: t.name, url: t.publicUrl, creator: t.creator?.name ?? null, thumbnail: t.image, like_count: t.likeCount };
}
