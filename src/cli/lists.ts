// popular | newest | search <words>: lists from Thingiverse through the client's list()
// (GET /search with a sort, falling back to the deprecated lists), paged or --all.
import type { ListSort } from '../thingiverse/types.js';
import { openContext, type GlobalOptions } from './context.js';
import { EXIT } from './errors.js';
import { watchInterrupt } from './interrupt.js';
import { createPacer } from './pacer.js';
import { walk, type PagingFlags } from './paging.js';
import { printThings } from './print-list.js';

type ListFlags = GlobalOptions & PagingFlags & { sort?: ListSort; featured?: boolean };

export async function list(kind: 'popular' | 'newest' | 'search', words: string[], flags: ListFlags): Promise<void> {
  const ctx = await openContext(flags);
  const interrupt = watchInterrupt(ctx.out.info);
  try {
    const sort: ListSort = flags.sort ?? (kind === 'search' ? 'relevant' : kind);
    const q = kind === 'search' ? words.join(' ') : undefined;
    const source = (page: number, perPage: number) =>
      ctx.client.list(ctx.token, { sort, page, perPage, ...(flags.featured ? { featured: true } : {}), ...(q ? { q } : {}) });
    const pacer = createPacer(ctx.client, ctx.token, { signal: interrupt.signal, onWait: (ms) => ctx.out.info(`Rate limit: waiting ${Math.ceil(ms / 1000)} s…`) });
    const count = await printThings(ctx.out, walk(source, flags, pacer, interrupt), Boolean(flags.all));
    if (interrupt.stopped) {
      ctx.out.info(`Interrupted after ${count} things.`);
      process.exitCode = EXIT.failed;
    }
  } finally {
    interrupt.dispose();
    await ctx.close();
  }
}
