// thing <id|url> [--web]: one thing's facts; --web opens it on the configured site. The
// link is built from our site URL and the id, never taken from what Thingiverse sent.
import { openContext, type GlobalOptions } from './context.js';
import { siteForRefs } from './target.js';
import { clean } from './output.js';
import { parseArgRefs } from './refs.js';
import { thingRecord } from './paging.js';

export async function show(ref: string, flags: GlobalOptions & { web?: boolean }): Promise<void> {
  const [id] = parseArgRefs([ref], siteForRefs(flags));
  const ctx = await openContext(flags);
  try {
    const t = await ctx.client.thing(ctx.token, id!);
    const web = `${ctx.target.siteUrl}/thing:${t.id}`;
    if (ctx.out.json) {
      ctx.out.doc({ ...thingRecord(t), created_at: t.createdAt, is_liked: t.isLiked, web_url: web });
    } else {
      const { out } = ctx;
      out.line(out.bold(clean(t.name)));
      out.line(`  id       ${t.id}`);
      out.line(`  by       ${t.creator ? clean(t.creator.displayName) + ` (${clean(t.creator.name)})` : 'unknown'}`);
      out.line(`  likes    ${t.likeCount ?? "unknown"}${t.isLiked ? ' (you like it)' : ''}`);
      if (t.createdAt) out.line(`  added    ${clean(t.createdAt)}`);
      out.line(`  web      ${web}`);
    }
    if (flags.web) {
      const { default: open } = await import('open');
      await open(web).catch(() => ctx.out.info(`Could not open a browser; the page is ${web}`));
    }
  } finally {
    await ctx.close();
  }
}
