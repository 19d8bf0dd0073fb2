// Reading import files: the three accepted kinds, every refusal with its line, the limits,
// hostile files, and the plan an import makes.
import { describe, it, expect } from '@jest/globals';
import { IMPORT_LIMITS, ImportFileError, parseImport, planImport } from '../src/likes/import-format.js';
import { EXPORT_FORMAT } from '../src/likes/export-format.js';

const b = (s: string) => Buffer.from(s, 'utf8');
function fileError(data: Buffer): ImportFileError {
  try {
    parseImport(data);
  } catch (err) {
    if (err instanceof ImportFileError) return err;
    throw err;
  }
  throw new Error('parseImport accepted the file');
}

describe('plain lists of ids and addresses', () => {
  it('accepts ids, thing:N and Thingiverse thing addresses in every usual spelling', () => {
    const text = [
      '123', '  456  ', 'thing:789', 'https://www.thingiverse.com/thing:1001', 'http://thingiverse.com/thing:1002',
      'https://www.thingiverse.com/thing:1003/files', 'https://thingiverse.com/thing:1004?utm=x#comments',
      'HTTPS://WWW.THINGIVERSE.COM/thing:1005',
    ].join('\n');
    expect(parseImport(b(text))).toEqual({ format: 'lines', ids: [123, 456, 789, 1001, 1002, 1003, 1004, 1005], refused: [] });
  });

  it('collapses duplicates to their first occurrence and skips blank lines and # comments', () => {
    const text = '# my likes\r\n5\r\n\r\n6\r\nthing:5\r\nhttps://www.thingiverse.com/thing:6\r\n   \r\n7';
    expect(parseImport(b(text))).toEqual({ format: 'lines', ids: [5, 6, 7], refused: [] });
  });

  it('refuses bad lines with their line number and why, keeping the good ones', () => {
    const text = [
      '1', 'https://www.printables.com/model/123', 'https://evil.example/thing:5', '0', '0123', '-5', '12.5',
      '1234567890123', '99999999999999999999', 'https://www.thingiverse.com/make:55', 'https://user:pw@www.thingiverse.com/thing:5',
      'https://www.thingiverse.com:8443/thing:5', 'ftp://www.thingiverse.com/thing:5', 'javascript:alert(1)', 'hello world',
      'https://www.thingiverse.com.evil.example/thing:5', 'x'.repeat(3000), '2',
    ].join('\n');
    const parsed = parseImport(b(text));
    expect(parsed.ids).toEqual([1, 2]);
    expect(parsed.refused.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    const reason = (line: number) => parsed.refused.find((r) => r.line === line)!.reason;
    expect(reason(2)).toBe('Not a Thingiverse address (www.printables.com).');
    expect(reason(3)).toBe('Not a Thingiverse address (evil.example).');
    expect(reason(4)).toMatch(/Not a valid thing id/);
    expect(reason(8)).toMatch(/at most 12 digits/);
    expect(reason(10)).toMatch(/not of a thing/);
    expect(reason(11)).toMatch(/Not a Thingiverse address/);
    expect(reason(16)).toBe('Not a Thingiverse address (www.thingiverse.com.evil.example).');
    expect(reason(17)).toMatch(/Longer than 2048/);
    // A refusal never echoes the line itself.
    expect(parsed.refused.map((r) => r.reason).join(' ')).not.toMatch(/xxxx|alert|hello|pw@/);
  });
});

describe("this app's JSON export", () => {
  const doc = (things: unknown, format: unknown = EXPORT_FORMAT) => b(JSON.stringify({ format, user: 'u', exported_at: 'x', count: 0, things }));

  it('reads the ids and refuses entries without a valid id by their position in "things"', () => {
    const parsed = parseImport(doc([{ id: 10 }, { id: '11' }, { id: -1 }, { name: 'no id' }, null, { id: 1.5 }, { id: 10 }, { id: 2 ** 60 }]));
    expect(parsed.format).toBe('json');
    expect(parsed.ids).toEqual([10, 11]);
    expect(parsed.refused.map((r) => r.line)).toEqual([3, 4, 5, 6, 8]);
  });

  it('refuses the whole file for a wrong or missing format tag, a missing list, or another JSON shape', () => {
    expect(fileError(doc([], 'thingiverse-likes/2')).message).toMatch(/not in this app's format "thingiverse-likes\/1" \(it says "thingiverse-likes\/2"\)/);
    expect(fileError(doc([], null)).message).toMatch(/not in this app's format/);
    expect(fileError(b(JSON.stringify({ format: EXPORT_FORMAT }))).message).toMatch(/no "things" list/);
    expect(fileError(b('[1,2,3]')).message).toMatch(/must be an export of this app/);
  });

  it('names the line of a JSON syntax error', () => {
    const err = fileError(b('{\n  "format": "thingiverse-likes/1",\n  "things": [ {"id": 1} oops ]\n}'));
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.line).toBe(3);
  });
});

describe("this app's CSV export", () => {
  it('reads the id column, tolerating neutralised cells, a BOM, quotes and CRLF', () => {
    const text = '\uFEFFid,name,url,creator,thumbnail,like_count,liked_position\r\n'
      + '101,"A, b",https://www.thingiverse.com/thing:101,ada,,3,1\r\n'
      + `102,"'=HYPERLINK(""x"")",https://www.thingiverse.com/thing:102,'@bob,,,2\r\n`
      + '"103","multi\nline",u,c,,,3\r\n';
    expect(parseImport(b(text))).toEqual({ format: 'csv', ids: [101, 102, 103], refused: [] });
  });

  it('refuses rows with a bad or missing id by their line', () => {
    const text = 'name,id\nok,5\nbad,=cmd|calc\nempty,\nshort\nother,https://evil.example/thing:1\n';
    const parsed = parseImport(b(text));
    expect(parsed.ids).toEqual([5]);
    expect(parsed.refused).toEqual([
      { line: 3, reason: expect.stringMatching(/Not a thing id/) },
      { line: 4, reason: 'No id in this row.' },
      { line: 5, reason: 'No id in this row.' },
      { line: 6, reason: 'Not a Thingiverse address (evil.example).' },
    ]);
  });

  it('refuses a CSV without an id column and one with an unclosed quote, naming the line', () => {
    expect(fileError(b('name,creator\nx,y\n'))).toMatchObject({ message: expect.stringMatching(/header row with an "id" column/), line: 1 });
    expect(fileError(b('id,name\n1,ok\n2,"never closed\n3,x\n'))).toMatchObject({ message: expect.stringMatching(/could not be read/) });
  });
});

describe('hostile and broken files', () => {
  it('refuses binary, UTF-16, invalid UTF-8 and empty files', () => {
    expect(fileError(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0])).message).toMatch(/not a text file/);
    expect(fileError(Buffer.from('\uFEFF123', 'utf16le')).message).toMatch(/UTF-16/);
    expect(fileError(Buffer.from([0x31, 0x32, 0xc3, 0x28])).message).toMatch(/not UTF-8/);
    expect(fileError(b(' \n\n\t')).message).toMatch(/empty/);
  });

  it('refuses a file over the size limit before reading it', () => {
    expect(fileError(Buffer.alloc(IMPORT_LIMITS.maxBytes + 1, 0x31)).message).toMatch(/larger than 1 MB/);
  });

  it('refuses more than 20,000 ids, naming the line where the limit was passed', () => {
    const text = Array.from({ length: IMPORT_LIMITS.maxIds + 1 }, (_, i) => String(i + 1)).join('\n');
    expect(fileError(b(text))).toMatchObject({ message: expect.stringMatching(/more than 20,000 thing ids/), line: 20_001 });
    const ok = Array.from({ length: IMPORT_LIMITS.maxIds }, (_, i) => String(i + 1)).join('\n') + '\n1\n2';
    expect(parseImport(b(ok)).ids).toHaveLength(IMPORT_LIMITS.maxIds);
  });

  it('refuses a file that is mostly garbage instead of listing 20,000 refusals', () => {
    expect(fileError(b('junk\n'.repeat(IMPORT_LIMITS.maxIds + 5))).message).toMatch(/were refused: is this the right file/);
  });

  it('survives deeply nested JSON and prototype keys', () => {
    expect(fileError(b('['.repeat(5000) + ']'.repeat(5000))).message).toMatch(/export of this app/);
    const parsed = parseImport(b(`{"format":"${EXPORT_FORMAT}","__proto__":{"polluted":1},"things":[{"id":7,"__proto__":{"id":8}}]}`));
    expect(parsed.ids).toEqual([7]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('planImport', () => {
  it('likes what is missing, counts what is there, and unlikes the rest only in match mode', () => {
    const liked = new Set([1, 2, 3, 9]);
    expect(planImport([3, 4, 5, 1, 4], liked, { match: false })).toEqual({ toLike: [4, 5], alreadyLiked: [3, 1], toUnlike: [] });
    expect(planImport([3, 4, 5, 1], liked, { match: true })).toEqual({ toLike: [4, 5], alreadyLiked: [3, 1], toUnlike: [2, 9] });
    expect(planImport([], liked, { match: true }).toUnlike).toEqual([1, 2, 3, 9]);
  });
});
