// Turning what a user typed or piped into thing ids, refusing anything else by line. A ref
// is an id ("2285753"), "thing:2285753", or a thing URL on Thingiverse or the configured
// site. Nothing refused is ever sent; bad text is quoted back short and escaped.
import { isValidThingId } from '../thingiverse/ids.js';
import { usageError } from './errors.js';

export const STDIN_LIMITS = { maxBytes: 1024 * 1024, maxIds: 10_000 };
const THING_HOSTS = new Set(['www.thingiverse.com', 'thingiverse.com']);

export interface Refused {
  line: number;
  reason: string;
}

export function quote(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(short);
}

/** The id, or a reason it is not one. */
export function parseRef(raw: string, siteUrl: string): number | string {
  const text = raw.trim();
  const bare = /^(?:thing:)?([0-9]+)$/.exec(text);
  if (bare) return isValidThingId(bare[1]!) ?? `${quote(text)} is not a thing id (a whole number from 1 up)`;
  if (!/^https?:\/\//i.test(text)) return `${quote(text)} is neither a thing id nor a Thingiverse thing URL`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${quote(text)} is not a readable URL`;
  }
  if (!THING_HOSTS.has(url.hostname) && url.host !== new URL(siteUrl).host) {
    return `${quote(url.host)} is not Thingiverse: only thing URLs from ${[...THING_HOSTS][0]} or ${new URL(siteUrl).host} are used`;
  }
  const m = /^\/thing:([0-9]+)(?:\/.*)?$/.exec(url.pathname);
  const id = m ? isValidThingId(m[1]!) : null;
  return id ?? `${quote(text)} is not a thing URL (expected …/thing:<id>)`;
}

/** Argument refs: all or nothing, so a typo never half-runs a command. */
export function parseArgRefs(refs: readonly string[], siteUrl: string): number[] {
  const ids: number[] = [];
  for (const [i, ref] of refs.entries()) {
    const id = parseRef(ref, siteUrl);
    if (typeof id === 'string') throw usageError(`Argument ${i + 1}: ${id}. Nothing was sent.`);
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
