// likes list | likes ids. Thingiverse returns likes newest first; any other order needs
// every page first, which --sort says in its help.
import type { ThingSummary } from '../thingiverse/types.js';
import { assertUsername } from '../thingiverse/ids.js';
import { openContext, type Context, type GlobalOptions } from './context.js';
import { EXIT, usageError } from './errors.js';
import { watchInterrupt } from './interrupt.js';
import { createPacer } from './pacer.js';
import { walk, type PagingFlags } from './paging.js';
import { printThings } from './print-list.js';

type Flags = GlobalOptions & PagingFlags & { sort?: 'liked' | 'oldest' | 'name' | 'popular' };

async function whose(ctx: Context, flags: GlobalOptions): Promise<string> {
  // With --sandbox, --user is who logs in, so the likes listed are theirs too.
  if (flags.user && !flags.sandbox) {
    try {
      return assertUsername(flags.user);
    } catch {
      throw usageError(`--user ${JSON.stringify(flags.user.slice(0, 64))} is not a Thingiverse username (letters, digits, "_", "." or "-").`);
    }
  }
  return (await ctx.user()).name;
}

const ORDER: Record<string, (a: ThingSummary, b: ThingSummary) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  popular: (a, b) => (b.likeCount ?? -1) - (a.likeCount ?? -1) || a.id - b.id,
};

export async function list(flags: Flags): Promise<void> {
  const ctx = await openContext(flags);
  const interrupt = watchInterrupt(ctx.out.info);
  try {
    const pacer = createPacer(ctx.client, ctx.token, { signal: interrupt.signal, onWait: (ms) => ctx.out.info(`Rate limit: waiting ${Math.ceil(ms / 1000)} s…`) });
    const name = await whose(ctx, flags);
    const fetchPage = (page: number, perPage: number) => ctx.client.likedThings(ctx.token, name, { page, perPage });
    const sort = flags.sort ?? 'liked';
    let things: AsyncIterable<ThingSummary> = walk(fetchPage, sort === 'liked' ? flags : { all: true }, pacer, interrupt);
    if (sort !== 'liked') {
      const all: ThingSummary[] = [];
      for await (const t of things) all.push(t);
      if (sort === 'oldest') all.reverse();
      else all.sort(ORDER[sort]);
      const limit = flags.all ? all.length : (flags.limit ?? 20);
      const from = ((flags.page ?? 1) - 1) * limit;
      things = (async function* () {
        yield* all.slice(from, from + limit);
      })();
    }
    await printThings(ctx.out, things, Boolean(flags.all));
    if (interrupt.stopped) {
      ctx.out.info('Interrupted: the list above is incomplete.');
      process.exitCode = EXIT.failed;
    }
  } finally {
    interrupt.dispose();
    await ctx.close();
  }
}

export async function ids(flags: GlobalOptions): Promise<void> {
  const ctx = await openContext(flags);
  try {
    const name = await whose(ctx, flags);
    const list = await ctx.client.likedIds(ctx.token, name);
    if (ctx.out.json) ctx.out.doc(list);
    else if (list.length) process.stdout.write(list.join('\n') + '\n');
    ctx.out.info(`${list.length} liked things.`);
  } finally {
    await ctx.close();
  }
}
