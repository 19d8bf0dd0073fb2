// The write loop behind like, unlike and likes import: one write at a time through the
// pacer, Ctrl-C honoured between writes (the one in flight always finishes), a lost answer
// reconciled by reading the thing's real is_liked (judged as the web app's likes service does),
// and a refusal of your own thing turned into a skip with a note.
import { isUpstreamError } from '../thingiverse/errors.js';
import type { UpstreamError } from '../thingiverse/errors.js';
import { describeUpstream } from '../errors.js';
import { judgeReadBack } from '../likes/read-back.js';
import type { Context } from './context.js';
import type { Interrupt } from './interrupt.js';
import type { Pacer } from './pacer.js';
import type { Progress } from './progress.js';

export type Outcome = 'liked' | 'unliked' | 'own' | 'failed';
export interface Step {
  id: number;
  like: boolean;
}
export interface Result {
  id: number;
  outcome: Outcome;
  reason?: string;
}
export interface RunSummary {
  results: Result[];
  /** Steps never sent: interrupted, or stopped by a long rate-limit wait. */
  notSent: Step[];
  stoppedBy: 'interrupt' | 'rate_limit' | null;
  retryAt: number | null;
}

export async function runWrites(
  ctx: Context,
  steps: readonly Step[],
  deps: { pacer: Pacer; interrupt: Interrupt; progress: Progress; onStart?: (s: Step) => void; onResult?: (r: Result) => void },
): Promise<RunSummary> {
  const { pacer, interrupt } = deps;
  const me = await ctx.user();
  const results: Result[] = [];
  for (const [i, step] of steps.entries()) {
    if (interrupt.stopped) return { results, notSent: steps.slice(i), stoppedBy: 'interrupt', retryAt: null };
    let result: Result;
    deps.onStart?.(step);
    try {
      result = await writeOne(step);
    } catch (err) {
      if (isUpstreamError(err) && err.kind === 'rate_limited') {
        return { results, notSent: steps.slice(i), stoppedBy: 'rate_limit', retryAt: err.retryAt };
      }
      throw err; // a refused token ends the run; what was done is already reported via onResult
    }
    results.push(result);
    deps.onResult?.(result);
    deps.progress.tick(`${step.id}`);
  }
  return { results, notSent: [], stoppedBy: null, retryAt: null };

  async function writeOne(step: Step): Promise<Result> {
    const done: Outcome = step.like ? 'liked' : 'unliked';
    try {
      await pacer.run(() => (step.like ? ctx.client.like(ctx.token, step.id) : ctx.client.unlike(ctx.token, step.id)));
      return { id: step.id, outcome: done };
    } catch (err) {
      if (!isUpstreamError(err) || err.kind === 'unauthorized' || err.kind === 'rate_limited') throw err;
      if (err.ambiguous) return reconcile(step, err);
      if (err.kind === 'bad_request' && (await isOwn(step.id))) return { id: step.id, outcome: 'own', reason: 'your own thing' };
      return { id: step.id, outcome: 'failed', reason: describeUpstream(err, 'cli').message };
    }
  }

  async function reconcile(step: Step, err: UpstreamError): Promise<Result> {
    const isLiked = await pacer.run(() => ctx.client.thing(ctx.token, step.id)).then((t) => t.isLiked, () => undefined);
    if (judgeReadBack(err, step.like, isLiked) === 'applied') return { id: step.id, outcome: step.like ? 'liked' : 'unliked' };
    // Not there or still unknown: reported as failed, and a rerun reads the truth again.
    return { id: step.id, outcome: 'failed', reason: describeUpstream(err, 'cli').message };
  }

  async function isOwn(id: number): Promise<boolean> {
    try {
      const t = await pacer.run(() => ctx.client.thing(ctx.token, id));
      return t.creator?.id === me.id || t.creator?.name === me.name;
    } catch {
      return false;
    }
  }
}

export function tally(results: readonly Result[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { liked: 0, unliked: 0, own: 0, failed: 0 };
  for (const r of results) counts[r.outcome] += 1;
  return counts;
}
