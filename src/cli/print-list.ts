// One way to print a list of things: aligned lines for people, a JSON array, or NDJSON
// records as they arrive with --all (a long run shows its first things at once).
import type { ThingSummary } from '../thingiverse/types.js';
import { clean, type Output } from './output.js';
import { thingRecord } from './paging.js';

export function thingLine(out: Output, t: ThingSummary): string {
  const by = t.creator ? ` by ${clean(t.creator.name)}` : '';
  // No count from Thingiverse (older list shapes) prints none, not "0 likes".
  const likes = t.likeCount === null ? '' : `, ${t.likeCount} likes`;
  return `${String(t.id).padStart(8)}  ${out.bold(clean(t.name))}${out.dim(`${by}${likes}`)}`;
}

export async function printThings(out: Output, things: AsyncIterable<ThingSummary>, streaming: boolean): Promise<number> {
  let count = 0;
  const collected: ReturnType<typeof thingRecord>[] = [];
  for await (const t of things) {
    count += 1;
    if (!out.json) out.line(thingLine(out, t));
    else if (streaming) out.record(thingRecord(t));
    else collected.push(thingRecord(t));
  }
  if (out.json && !streaming) out.doc(collected);
  if (!out.json && count === 0) out.info('Nothing here.');
  return count;
}
