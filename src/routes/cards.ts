// From the client's things to what a card shows: an image the page may load (or none, for
// the placeholder), a like count that includes likes confirmed since the list was read
// (or none when Thingiverse sent none), and whether the viewer made it ("your thing").
import type { ThingSummary } from '../thingiverse/types.js';
import type { ImageFilter } from '../views/images.js';
import { cardParts, type CardParts } from '../views/card-parts.js';
import type { LikeCounts } from './like-counts.js';

export interface Card {
  id: number;
  name: string;
  publicUrl: string | null;
  image: string | null;
  creator: ThingSummary['creator'];
  likeCount: number | null;
  own: boolean;
  /** The HTML that depends only on the thing (views/partials/card-own.ejs), made once per thing. */
  parts: CardParts;
}

export function toCards(
  things: readonly ThingSummary[],
  opts: { images: ImageFilter; viewerId: number | null; counts?: LikeCounts; readAt?: number },
): Card[] {
  return things.map((t) => {
    const raw = t.likeCount;
    const card: Card = {
      id: t.id,
      name: t.name,
      publicUrl: t.publicUrl,
      image: opts.images(t.image),
      creator: t.creator,
      likeCount: opts.counts && opts.readAt !== undefined ? opts.counts.adjust(raw, t.id, opts.readAt) : raw,
      own: opts.viewerId !== null && t.creator?.id === opts.viewerId,
      parts: NO_PARTS,
    };
    // Keyed by the thing object: the same for as long as the list holding it is cached.
    card.parts = cardParts(card, t);
    return card;
  });
}

const NO_PARTS: CardParts = { idHtml: '', nameHtml: '', ownHtml: '' };
