// like | unlike <ids…|->: idempotent (one likesids read tells what is already so), your own
// things skipped with a note, --dry-run sends nothing. Any refused line refuses the run.
import { openContext, type Context, type GlobalOptions } from './context.js';
import { siteForRefs } from './target.js';
import { EXIT, usageError } from './errors.js';
import { watchInterrupt } from './interrupt.js';
import { createPacer } from './pacer.js';
import { createProgress } from './progress.js';
import { looksBinary, parseArgRefs, parseRefLines, readStdin, refusedMessage, STDIN_LIMITS } from './refs.js';
import { runWrites, tally, type RunSummary, type Step } from './writer.js';

async function collectIds(refs: readonly string[], siteUrl: string): Promise<number[]> {
  const args = refs.filter((r) => r !== '-');
  const ids = parseArgRefs(args, siteUrl);
  if (args.length === refs.length) return ids;
  const data = await readStdin(STDIN_LIMITS.maxBytes);
  if (looksBinary(data)) throw usageError('stdin looks like a binary file, not ids or URLs one a line. Nothing was sent.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw usageError('stdin is not UTF-8 text. Nothing was sent.');
  }
  const parsed = parseRefLines(text, siteUrl);
  if (parsed.refused.length > 0) throw usageError(refusedMessage(parsed.refused, 'stdin'));
  const all = [...new Set([...ids, ...parsed.ids])];
  if (all.length > STDIN_LIMITS.maxIds) throw usageError(`More than ${STDIN_LIMITS.maxIds} ids at once. Nothing was sent.`);
  return all;
}

export function reportRun(ctx: Context, summary: RunSummary, extra: Record<string, unknown> = {}): void {
  const counts = tally(summary.results);
  const { out } = ctx;
  if (out.json) {
    out.doc({ ...extra, ...counts, results: summary.results, notSent: summary.notSent.map((s) => s.id), stoppedBy: summary.stoppedBy });
  } else {
    for (const r of summary.results) {
      out.line(`${r.outcome.padEnd(7)} ${r.id}${r.reason ? `  (${r.reason})` : ''}`);
    }
  }
  const parts = [`${counts.liked} liked`, `${counts.unliked} unliked`];
  if (counts.own) parts.push(`${counts.own} skipped (your own things: Thingiverse does not let you like them)`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (summary.notSent.length) parts.push(`${summary.notSent.length} not sent`);
  out.info(`Done: ${parts.join(', ')}.`);
  if (summary.stoppedBy === 'rate_limit') {
    const when = summary.retryAt ? new Date(summary.retryAt).toLocaleTimeString() : 'in a few minutes';
    out.info(`Stopped at Thingiverse's rate limit; try again after ${when}.`);
  }
  if (summary.stoppedBy || counts.failed) process.exitCode = EXIT.failed;
}

export async function likeMany(verb: 'like' | 'unlike', refs: string[], flags: GlobalOptions & { dryRun?: boolean }): Promise<void> {
  const ids = await collectIds(refs, siteForRefs(flags));
  const ctx = await openContext(flags);
  const interrupt = watchInterrupt(ctx.out.info);
  try {
    const pacer = createPacer(ctx.client, ctx.token, { signal: interrupt.signal, onWait: (ms) => ctx.out.info(`Rate limit: waiting ${Math.ceil(ms / 1000)} s…`) });
    const me = await pacer.run(() => ctx.user());
    const liked = new Set(await pacer.run(() => ctx.client.likedIds(ctx.token, me.name)));
    const like = verb === 'like';
    const steps: Step[] = ids.filter((id) => liked.has(id) !== like).map((id) => ({ id, like }));
    const already = ids.filter((id) => liked.has(id) === like);
    if (already.length) ctx.out.info(`${already.length} already ${like ? 'liked' : 'not liked'}: nothing to send for ${already.slice(0, 10).join(', ')}${already.length > 10 ? ', …' : ''}.`);
    if (flags.dryRun) {
      if (ctx.out.json) ctx.out.doc({ dryRun: true, [verb]: steps.map((s) => s.id), already });
      else for (const s of steps) ctx.out.line(`would ${verb} ${s.id}`);
      ctx.out.info(`Dry run: ${steps.length} to ${verb}, nothing was sent.`);
      return;
    }
    const progress = createProgress(steps.length, like ? 'Liking' : 'Unliking', { noColor: ctx.env.noColor });
    const summary = await runWrites(ctx, steps, { pacer, interrupt, progress }).finally(() => progress.stop());
    reportRun(ctx, summary, { already });
  } finally {
    interrupt.dispose();
    await ctx.close();
  }
}
