// Reading an import file: this app's JSON export, its CSV export, or a plain list of ids or
// Thingiverse thing addresses, one a line. Every entry is validated; duplicates collapse to
// their first occurrence. A problem with the whole file (binary, too big, bad JSON, a CSV
// that cannot be read, a wrong format tag) is an ImportFileError and nothing of it is used;
// a problem with one entry refuses only that entry, with its line number. For JSON, `line`
// is the entry's position in the "things" list (1 = first), since JSON has no fixed lines.
import { parse as parseCsv } from 'csv-parse/sync';
import { EXPORT_FORMAT } from './export-format.js';
import { parseEntry, unneutralise, type LineResult } from './import-line.js';
import { isValidThingId } from '../thingiverse/ids.js';

export const IMPORT_LIMITS = { maxBytes: 1024 * 1024, maxIds: 20_000 };

export interface RefusedLine { line: number; reason: string }
export interface ParsedImport { format: 'json' | 'csv' | 'lines'; ids: number[]; refused: RefusedLine[] }

export class ImportFileError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** Collects ids and refusals, enforcing the limits as it goes (so a hostile file stops early). */
class Collector {
  private readonly seen = new Set<number>();
  readonly refused: RefusedLine[] = [];

  add(line: number, result: LineResult): void {
    if ('reason' in result) {
      this.refused.push({ line, reason: result.reason });
      if (this.refused.length > IMPORT_LIMITS.maxIds) {
        throw new ImportFileError(`More than ${IMPORT_LIMITS.maxIds.toLocaleString('en-US')} lines were refused: is this the right file?`, line);
      }
      return;
    }
    this.seen.add(result.id);
    if (this.seen.size > IMPORT_LIMITS.maxIds) {
      throw new ImportFileError(`The file has more than ${IMPORT_LIMITS.maxIds.toLocaleString('en-US')} thing ids: split it into smaller files.`, line);
    }
  }

  result(format: ParsedImport['format']): ParsedImport {
    return { format, ids: [...this.seen], refused: this.refused };
  }
}

function decode(data: Buffer): string {
  if (data.length > IMPORT_LIMITS.maxBytes) {
    throw new ImportFileError(`The file is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB.`);
  }
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
    throw new ImportFileError('The file is UTF-16 text: save it as UTF-8 and try again.');
  }
  if (data.includes(0)) throw new ImportFileError('This is not a text file (it contains binary data).');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new ImportFileError('This is not UTF-8 text.');
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ImportFileError('The file is empty.');
  return text;
}

/** The 1-based line of a character offset. */
const lineAt = (text: string, offset: number) => text.slice(0, offset).split(/\r\n|\n|\r/).length;

function parseJson(text: string): ParsedImport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const pos = /position (\d+)/.exec(String((err as Error).message));
    throw new ImportFileError('The file starts like JSON but is not valid JSON.', pos ? lineAt(text, Number(pos[1])) : undefined);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ImportFileError(`A JSON file must be an export of this app (format "${EXPORT_FORMAT}").`);
  }
  const { format, things } = doc as { format?: unknown; things?: unknown };
  if (format !== EXPORT_FORMAT) {
    const said = typeof format === 'string' ? ` (it says "${format.slice(0, 40).replace(/[^\x20-\x7e]/g, '')}")` : '';
    throw new ImportFileError(`The JSON file is not in this app's format "${EXPORT_FORMAT}"${said}.`);
  }
  if (!Array.isArray(things)) throw new ImportFileError('The JSON file has no "things" list.');
  const out = new Collector();
  things.forEach((thing: unknown, i) => {
    const id = (thing as { id?: unknown } | null)?.id;
    const digits = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : typeof id === 'string' ? id.trim() : '';
    const valid = isValidThingId(digits);
    out.add(i + 1, valid === null ? { reason: 'No valid thing id in this entry.' } : { id: valid });
  });
  return out.result('json');
}

function parseCsvFile(text: string): ParsedImport {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      info: true, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true,
    });
  } catch (err) {
    const line = (err as { lines?: unknown }).lines;
    throw new ImportFileError('The CSV file could not be read (an unclosed quote or a broken row).', typeof line === 'number' ? line : undefined);
  }
  const out = new Collector();
  for (const { record, info } of rows) {
    const cell = unneutralise(record.id ?? '');
    out.add(info.lines, cell === '' ? { reason: 'No id in this row.' } : parseEntry(cell));
  }
  return out.result('csv');
}

function parseLines(text: string): ParsedImport {
  const out = new Collector();
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return; // blank lines and comments are allowed
    out.add(i + 1, parseEntry(line));
  });
  return out.result('lines');
}

/** The header cells of a CSV export: the first line has our `id` column (and usually more). */
function isCsvHeader(firstLine: string): boolean {
  const cells = firstLine.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  return cells.includes('id') && (cells.length > 1 || firstLine.trim().toLowerCase() === 'id');
}

export function parseImport(data: Buffer): ParsedImport {
  const text = decode(data);
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return parseJson(text);
  const firstLine = start.split(/\r\n|\n|\r/, 1)[0]!;
  if (isCsvHeader(firstLine)) return parseCsvFile(text);
  if (firstLine.includes(',')) throw new ImportFileError('A CSV file needs a header row with an "id" column.', 1);
  return parseLines(text);
}

export interface ImportPlan { toLike: number[]; alreadyLiked: number[]; toUnlike: number[] }

/** What an import would do: like what is missing; with `match`, also unlike what the file lacks. */
export function planImport(fileIds: readonly number[], likedNow: ReadonlySet<number>, opts: { match: boolean }): ImportPlan {
  const inFile = new Set(fileIds);
  return {
    toLike: [...inFile].filter((id) => !likedNow.has(id)),
    alreadyLiked: [...inFile].filter((id) => likedNow.has(id)),
    toUnlike: opts.match ? [...likedNow].filter((id) => !inFile.has(id)) : [],
  };
}
