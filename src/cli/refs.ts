// Turning what a user typed or piped into thing ids, refusing anything else by line. A ref
// is an id ("2285753"), "thing:2285753", or a thing URL on Thingiverse or the configured
// site. Nothing refused is ever sent, and refusals never echo the input.
import { parseEntry } from '../likes/import-line.js';
import { usageError } from './errors.js';

export const STDIN_LIMITS = { maxBytes: 1024 * 1024, maxIds: 10_000 };

export interface Refused {
  line: number;
  reason: string;
}

/** The id, or a reason it is not one: the import files' own rule (likes/import-line.ts), plus
 * thing URLs of the configured site (a sandbox or staging host) read as Thingiverse ones. */
export function parseRef(raw: string, siteUrl: string): number | string {
  const text = raw.trim();
  const site = new URL(siteUrl);
  const url = /^https?:\/\//i.test(text) && URL.canParse(text) ? new URL(text) : null;
  const onSite = url && url.origin === site.origin && !url.username && !url.password;
  const result = parseEntry(onSite ? `https://www.thingiverse.com${url.pathname}` : text);
  return 'id' in result ? result.id : result.reason;
}

/** Argument refs: all or nothing, so a typo never half-runs a command. */
export function parseArgRefs(refs: readonly string[], siteUrl: string): number[] {
  const ids: number[] = [];
  for (const [i, ref] of refs.entries()) {
    const id = parseRef(ref, siteUrl);
    if (typeof id === 'string') throw usageError(`Argument ${i + 1}: ${id} Nothing was sent.`);
    ids.push(id);
  }
  return [...new Set(ids)];
}

/** Lines of refs (stdin, a plain file); blank lines and # comments are skipped. */
export function parseRefLines(text: string, siteUrl: string): { ids: number[]; refused: Refused[] } {
  const ids: number[] = [];
  const refused: Refused[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const id = parseRef(line, siteUrl);
    if (typeof id === 'string') refused.push({ line: i + 1, reason: id });
    else ids.push(id);
  }
  return { ids: [...new Set(ids)], refused };
}

/** stdin, bounded: a 100 MB pipe is refused after the first megabyte, not read to the end. */
export async function readStdin(maxBytes: number, what = 'stdin'): Promise<Buffer> {
  if (process.stdin.isTTY) throw usageError(`Nothing is piped into ${what}. Example: thingiverse-likes like - < ids.txt`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      process.stdin.destroy();
      throw usageError(`${what} is larger than ${Math.round(maxBytes / 1024)} KB: refused before reading the rest. Nothing was sent.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function looksBinary(data: Buffer): boolean {
  return data.subarray(0, 8192).includes(0);
}

export function refusedMessage(refused: readonly Refused[], source: string): string {
  const shown = refused.slice(0, 20).map((r) => `  ${source} line ${r.line}: ${r.reason}`);
  if (refused.length > 20) shown.push(`  … and ${refused.length - 20} more`);
  return `${refused.length} line${refused.length === 1 ? '' : 's'} refused, so nothing was sent:\n${shown.join('\n')}`;
}
