// The seed's special things, marked after the random things are built (see markSpecial).
import { HOSTILE_DESCRIPTIONS } from './hostile.js';
import type { SeedThing } from './seed.js';
import { TRICKY_NAMES } from './words.js';

/**
 * Hostile descriptions and `.stl` thumbnails, chosen by position so the random stream (and so every
 * other seed value) is unchanged: every 100th thing from the 37th, plus a few near the top of
 * /popular so the app's first page and an e2e run meet them without searching.
 */
export function markSpecial(things: SeedThing[]): void {
  const tricky = new Set<string>(TRICKY_NAMES);
  const top = things.filter((t) => !tricky.has(t.name)).sort((a, b) => b.baseLikes - a.baseLikes || a.id - b.id);
  const hostile = [top[1]!, top[4]!, top[7]!, ...things.filter((_, i) => i % 100 === 37)];
  hostile.forEach((t, k) => {
    t.hostile = k % HOSTILE_DESCRIPTIONS.length;
    t.description = `${t.name.trim()}.\r\n\r\n${HOSTILE_DESCRIPTIONS[t.hostile]}\r\n`;
  });
  for (const t of [top[10]!, ...things.filter((_, i) => i % 150 === 77)]) t.stlThumbnail = true;
}
