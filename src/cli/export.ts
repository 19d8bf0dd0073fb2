// likes export --format json|csv [-o FILE]: every like, in the web app's file formats
// (src/likes/export-format.ts). Pages are read first (the JSON header carries the count),
// then streamed out; -o writes a temporary file and renames it, so a failed export never
// leaves half a file where a good one was.
import fs from 'node:fs';
import path from 'node:path';
import { exportCsv, exportJson, type ExportThing } from '../likes/export-format.js';
import { openContext, type GlobalOptions } from './context.js';
import { CliError, EXIT } from './errors.js';
import { watchInterrupt } from './interrupt.js';
import { createPacer } from './pacer.js';
import { createProgress } from './progress.js';
import { walk } from './paging.js';

type Flags = GlobalOptions & { format?: 'json' | 'csv'; output?: string };

export async function exportLikes(flags: Flags): Promise<void> {
  const ctx = await openContext(flags);
  const interrupt = watchInterrupt(ctx.out.info);
  try {
    const pacer = createPacer(ctx.client, ctx.token, { signal: interrupt.signal, onWait: (ms) => ctx.out.info(`Rate limit: waiting ${Math.ceil(ms / 1000)} s…`) });
    const me = await ctx.user();
    const total = (await pacer.run(() => ctx.client.likedIds(ctx.token, me.name))).length;
    const progress = createProgress(Math.ceil(total / 100), 'Reading likes (pages)', { noColor: ctx.env.noColor });
    const things: ExportThing[] = [];
    const fetchPage = async (page: number, perPage: number) => {
      const answer = await ctx.client.likedThings(ctx.token, me.name, { page, perPage });
      progress.tick();
      return answer;
    };
    for await (const t of walk(fetchPage, { all: true }, pacer, interrupt)) {
      things.push({
        id: t.id,
        name: t.name,
        url: `${ctx.target.siteUrl}/thing:${t.id}`,
        creator: t.creator?.name ?? '',
        thumbnail: t.image,
        like_count: t.likeCount,
        liked_position: things.length + 1,
      });
    }
    progress.stop();
    if (interrupt.stopped) throw new CliError(EXIT.failed, 'Interrupted: nothing was written.');
    const chunks = flags.format === 'csv' ? exportCsv(things) : exportJson({ user: me.name, exportedAt: new Date(), count: things.length }, things);
    if (flags.output) {
      await writeFileAtomic(flags.output, chunks);
      ctx.out.info(`Exported ${things.length} likes to ${flags.output}.`);
    } else {
      for await (const chunk of chunks) process.stdout.write(chunk);
      ctx.out.info(`Exported ${things.length} likes.`);
    }
  } finally {
    interrupt.dispose();
    await ctx.close();
  }
}

async function writeFileAtomic(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const target = path.resolve(file);
  const tmp = `${target}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
  } catch (err) {
    throw new CliError(EXIT.usage, `Cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
  try {
    for await (const chunk of chunks) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
