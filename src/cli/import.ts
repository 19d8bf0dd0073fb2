// likes import FILE [--dry-run] [--match] [--resume]: the web app's import formats and plan
// (src/likes/import-format.ts), sent one write at a time. A refused line refuses the whole
// file before anything is sent. Progress is saved after every write, so Ctrl-C (or a long
// rate-limit wait) leaves a state file that --resume continues from; a write cut off by a
// crash is reconciled against the thing's real state first.
import fs from 'node:fs';
import { IMPORT_LIMITS, ImportFileError, parseImport, planImport, type ParsedImport } from '../likes/import-format.js';
import { openContext, type Context, type GlobalOptions } from './context.js';
import { CliError, EXIT, usageError } from './errors.js';
import { watchInterrupt } from './interrupt.js';
import { createPacer, type Pacer } from './pacer.js';
import { createProgress } from './progress.js';
import { refusedMessage } from './refs.js';
import { runWrites, type Step } from './writer.js';
import { reportRun } from './like.js';
import { readState, removeState, stateFile, writeState, type ImportState } from './import-state.js';

type Flags = GlobalOptions & { dryRun?: boolean; match?: boolean; resume?: boolean };

function readImport(file: string): { data: Buffer; parsed: ParsedImport } {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw usageError(`${file} is not a file.`);
    size = stat.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw usageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable'}.`);
  }
  // Refused from its size alone: a 100 MB file is never read into memory.
  if (size > IMPORT_LIMITS.maxBytes) throw usageError(`${file} is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB. Nothing was sent.`);
  const data = fs.readFileSync(file);
  try {
    const parsed = parseImport(data);
    if (parsed.refused.length > 0) throw usageError(refusedMessage(parsed.refused, file));
    if (parsed.ids.length === 0) throw usageError(`${file} has no thing ids in it.`);
    return { data, parsed };
  } catch (err) {
    if (err instanceof ImportFileError) throw usageError(`${file}${err.line ? ` line ${err.line}` : ''}: ${err.message} Nothing was sent.`);
    throw err;
  }
}

async function freshPlan(ctx: Context, pacer: Pacer, user: string, parsed: ParsedImport, match: boolean) {
  const liked = new Set(await pacer.run(() => ctx.client.likedIds(ctx.token, user)));
  const plan = planImport(parsed.ids, liked, { match });
  // As the web import does (likes/import-jobs.ts): files list the newest like first, so likes go
  // out oldest first and Thingiverse's order ends up like the file's; then the unlikes.
  const steps: Step[] = [...[...plan.toLike].reverse().map((id) => ({ id, like: true })), ...plan.toUnlike.map((id) => ({ id, like: false }))];
  return { plan, steps };
}

/** A write the last run started but never recorded: read the thing and drop it if it happened. */
async function settleInFlight(ctx: Context, pacer: Pacer, state: ImportState): Promise<void> {
  const step = state.inFlight;
  state.inFlight = null;
  if (!step) return;
  // It is still in `remaining` too (a step leaves it only once its result is recorded).
  state.remaining = state.remaining.filter((s) => s.id !== step.id);
  const thing = await pacer.run(() => ctx.client.thing(ctx.token, step.id));
  if (thing.isLiked === step.like) state.done[step.like ? 'liked' : 'unliked'] += 1;
  else state.remaining.unshift(step);
}

export async function importLikes(file: string, flags: Flags): Promise<void> {
  const { data, parsed } = readImport(file);
  const ctx = await openContext(flags);
  const interrupt = watchInterrupt(ctx.out.info);
  try {
    const pacer = createPacer(ctx.client, ctx.token, { signal: interrupt.signal, onWait: (ms) => ctx.out.info(`Rate limit: waiting ${Math.ceil(ms / 1000)} s…`) });
    const me = await ctx.user();
    const where = stateFile({ host: ctx.target.apiUrl, user: me.name, match: Boolean(flags.match), data });
    let state: ImportState;
    if (flags.resume) {
      const saved = readState(where);
      if (!saved) throw usageError(`There is no interrupted import of ${file} for ${me.name} to resume. Run it without --resume.`);
      state = saved;
      await settleInFlight(ctx, pacer, state);
      ctx.out.info(`Resuming: ${state.remaining.length} left (${state.done.liked} liked, ${state.done.unliked} unliked before).`);
    } else {
      if (readState(where)) ctx.out.info('An interrupted import of this file exists; starting over from the current likes (--resume would continue it).');
      const { plan, steps } = await freshPlan(ctx, pacer, me.name, parsed, Boolean(flags.match));
      if (flags.dryRun) {
        if (ctx.out.json) ctx.out.doc({ dryRun: true, format: parsed.format, ...plan });
        else for (const s of steps) ctx.out.line(`would ${s.like ? 'like' : 'unlike'} ${s.id}`);
        ctx.out.info(`Dry run (${parsed.format}): ${plan.toLike.length} to like, ${plan.alreadyLiked.length} already liked, ${plan.toUnlike.length} to unlike. Nothing was sent.`);
        return;
      }
      state = { version: 1, file, host: ctx.target.apiUrl, user: me.name, remaining: steps, done: { liked: 0, unliked: 0, own: 0, failed: 0 }, inFlight: null };
      ctx.out.info(`${plan.alreadyLiked.length} already liked; ${plan.toLike.length} to like${flags.match ? `, ${plan.toUnlike.length} to unlike` : ''}.`);
    }
    writeState(where, state);
    const steps = [...state.remaining];
    const progress = createProgress(steps.length, 'Importing', { noColor: ctx.env.noColor });
    const summary = await runWrites(ctx, steps, {
      pacer,
      interrupt,
      progress,
      onStart: (step) => writeState(where, { ...state, inFlight: step }),
      onResult: (r) => {
        state.remaining = state.remaining.filter((s) => s.id !== r.id);
        state.done[r.outcome] += 1;
        writeState(where, { ...state, inFlight: null });
      },
    }).finally(() => progress.stop());
    writeState(where, { ...state, inFlight: null });
    reportRun(ctx, summary, { file, totals: state.done });
    if (summary.notSent.length > 0) ctx.out.info(`To continue: thingiverse-likes likes import ${JSON.stringify(file)} --resume`);
    else removeState(where);
  } finally {
    interrupt.dispose();
    await ctx.close();
  }
}
