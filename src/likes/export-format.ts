// The export file formats, shared by the web app and the CLI: one JSON document and one CSV
// table, both produced as a stream of strings so 10,000 likes never sit in memory as one
// string. The JSON key `as_of` appears only when the export could not be confirmed complete
// (Thingiverse unreachable): it says how old the local index is.
import { stringify } from 'csv-stringify/sync';

export const EXPORT_FORMAT = 'thingiverse-likes/1';

export interface ExportThing {
  id: number;
  name: string;
  url: string;
  creator: string;
  thumbnail: string | null;
  like_count: number | null;
  /** 1 = the most recently liked, in Thingiverse's order. */
  liked_position: number;
}

export interface ExportMeta {
  user: string;
  exportedAt: Date;
  count: number;
  asOf?: Date | null;
}

/** The columns of both formats, in this order (CSV header row, JSON object keys). */
export const EXPORT_COLUMNS = ['id', 'name', 'url', 'creator', 'thumbnail', 'like_count', 'liked_position'] as const;

/** Things per yielded chunk: large enough to keep write() calls few, small enough to stay flat. */
const BATCH = 64;

type Things = AsyncIterable<ExportThing> | Iterable<ExportThing>;

/** Only the documented keys, in the documented order: nothing else of the row leaks out. */
function pick(t: ExportThing): ExportThing {
  return { id: t.id, name: t.name, url: t.url, creator: t.creator, thumbnail: t.thumbnail, like_count: t.like_count, liked_position: t.liked_position };
}

export async function* exportJson(meta: ExportMeta, things: Things): AsyncIterable<string> {
  const head: Record<string, unknown> = {
    format: EXPORT_FORMAT,
    user: meta.user,
    exported_at: meta.exportedAt.toISOString(),
    count: meta.count,
  };
  if (meta.asOf) head.as_of = meta.asOf.toISOString();
  // The header object without its closing brace, then the things array written item by item.
  yield `${JSON.stringify(head).slice(0, -1)},"things":[`;
  let batch: string[] = [];
  let first = true;
  for await (const t of things) {
    batch.push(JSON.stringify(pick(t)));
    if (batch.length >= BATCH) {
      yield (first ? '\n' : ',\n') + batch.join(',\n');
      first = false;
      batch = [];
    }
  }
  if (batch.length > 0) yield (first ? '\n' : ',\n') + batch.join(',\n');
  yield '\n]}\n';
}

export async function* exportCsv(things: Things): AsyncIterable<string> {
  // escape_formulas prefixes a cell starting with = + - @ tab or CR with ', so a spreadsheet
  // shows "=HYPERLINK(...)" from a hostile thing name as text instead of running it. Batches
  // through the sync stringifier: a failing source rejects this generator (a piped stream
  // would just stop), and memory stays at one batch.
  const options = { columns: [...EXPORT_COLUMNS], escape_formulas: true, record_delimiter: 'windows' as const };
  let batch: ExportThing[] = [];
  let header = true;
  const flush = () => {
    const out = stringify(batch.map(pick), { ...options, header });
    header = false;
    batch = [];
    return out;
  };
  for await (const t of things) {
    batch.push(t);
    if (batch.length >= BATCH) yield flush();
  }
  if (batch.length > 0 || header) yield flush();
}
