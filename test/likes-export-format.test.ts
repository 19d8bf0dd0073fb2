// The export formats as files: the JSON document's shape, the CSV's columns and its
// formula neutralising, and that both come out as a stream of small chunks.
import { describe, it, expect } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { EXPORT_COLUMNS, EXPORT_FORMAT, exportCsv, exportJson, type ExportThing } from '../src/likes/export-format.js';
import { parseImport } from '../src/likes/import-format.js';

const thing = (i: number, over: Partial<ExportThing> = {}): ExportThing => ({
  id: 1000 + i, name: `Thing ${i}`, url: `https://www.thingiverse.com/thing:${1000 + i}`, creator: `maker${i % 7}`,
  thumbnail: i % 2 ? `https://cdn.example/${i}.jpg` : null, like_count: i % 3 ? i * 10 : null, liked_position: i + 1, ...over,
});

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

describe('exportJson', () => {
  it('writes the documented document, keys in order, and nothing extra from the rows', async () => {
    const rows = [thing(0), { ...thing(1), secret: 'x' } as ExportThing];
    const text = (await collect(exportJson({ user: 'ada', exportedAt: new Date('2026-12-01T10:00:00Z'), count: 2 }, rows))).join('');
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['format', 'user', 'exported_at', 'count', 'things']);
    expect(doc).toMatchObject({ format: EXPORT_FORMAT, user: 'ada', exported_at: '2026-12-01T10:00:00.000Z', count: 2 });
    expect(doc.things).toEqual([thing(0), thing(1)]);
    expect(Object.keys(doc.things[1])).toEqual([...EXPORT_COLUMNS]);
  });

  it('adds as_of only when the export is not confirmed complete, and handles no things', async () => {
    const asOf = new Date('2026-11-30T09:00:00Z');
    const doc = JSON.parse((await collect(exportJson({ user: 'u', exportedAt: new Date(), count: 0, asOf }, []))).join(''));
    expect(doc.as_of).toBe('2026-11-30T09:00:00.000Z');
    expect(doc.things).toEqual([]);
    const plain = JSON.parse((await collect(exportJson({ user: 'u', exportedAt: new Date(), count: 0, asOf: null }, []))).join(''));
    expect(plain).not.toHaveProperty('as_of');
  });

  it('streams 10,000 things as many small chunks, pulling the source lazily', async () => {
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 10_000; i++) { pulled++; yield thing(i); }
    }
    const it = exportJson({ user: 'u', exportedAt: new Date(), count: 10_000 }, source())[Symbol.asyncIterator]();
    await it.next(); // the head
    await it.next(); // the first batch
    expect(pulled).toBeLessThan(200);
    const rest: string[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest.length).toBeGreaterThan(100);
    expect(Math.max(...rest.map((c) => c.length))).toBeLessThan(64 * 1024);
  });

  it('reads back through parseImport with every id in order', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => thing(i));
    const text = (await collect(exportJson({ user: 'u', exportedAt: new Date(), count: 150 }, rows))).join('');
    const parsed = parseImport(Buffer.from(text));
    expect(parsed).toEqual({ format: 'json', ids: rows.map((r) => r.id), refused: [] });
  });
});

describe('exportCsv', () => {
  it('has a header row and the same columns; nulls are empty cells', async () => {
    const text = (await collect(exportCsv([thing(0), thing(1)]))).join('');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows[0]).toEqual({ id: '1000', name: 'Thing 0', url: 'https://www.thingiverse.com/thing:1000', creator: 'maker0', thumbnail: '', like_count: '', liked_position: '1' });
    expect(rows[1]!.like_count).toBe('10');
  });

  it('writes only the header for no things', async () => {
    expect((await collect(exportCsv([]))).join('')).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
  });

  it('neutralises formula-leading cells (= + - @ tab CR) and quotes commas, quotes and newlines', async () => {
    const hostile = ['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', 'a,"b"\nc'];
    const text = (await collect(exportCsv(hostile.map((name, i) => thing(i, { name, creator: name }))))).join('');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual([...hostile.slice(0, 6).map((n) => `'${n}`), 'a,"b"\nc']);
    expect(rows.map((r) => r.creator)).toEqual(rows.map((r) => r.name));
    // And the app reads its own neutralised file back without refusing a row.
    expect(parseImport(Buffer.from(text))).toEqual({ format: 'csv', ids: hostile.map((_, i) => 1000 + i), refused: [] });
  });

  it('keeps UTF-8 names intact', async () => {
    const text = (await collect(exportCsv([thing(0, { name: 'Zahnrad – 歯車 🦊' })]))).join('');
    expect((parse(Buffer.from(text, 'utf8'), { columns: true }) as Record<string, string>[])[0]!.name).toBe('Zahnrad – 歯車 🦊');
  });

  it('streams in chunks and passes a failing source on as a rejection', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => thing(i));
    expect((await collect(exportCsv(rows))).length).toBeGreaterThan(10);
    async function* failing() { yield thing(0); throw new Error('db gone'); }
    await expect(collect(exportCsv(failing()))).rejects.toThrow('db gone');
  });
});
