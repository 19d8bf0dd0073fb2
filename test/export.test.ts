// GET /liked/export over real HTTP with the sandbox: JSON and CSV downloads that read back
// as the user's likes, a stream (not one string), and "as of" when Thingiverse is away.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import http from 'node:http';
import supertest from 'supertest';
import { parse } from 'csv-parse/sync';
import { startStack, csrfFrom, type Stack } from './helpers/stack.js';
import { cardIds, likedUser } from './helpers/liked-helpers.js';
import { parseImport } from '../src/likes/import-format.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const today = () => new Date().toISOString().slice(0, 10);
const text = (res: supertest.Response) => (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text);
const download = (u: { get(p: string): supertest.Test }, format: string) =>
  u.get(`/liked/export?format=${format}`).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('GET /liked/export', () => {
  it('JSON: an attachment named after the user and the date, with every like in order', async () => {
    const u = await likedUser(stack, 'ada_maker');
    const res = await download(u, 'json').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?thingiverse-likes-ada_maker-${today()}\\.json"?$`));
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['x-likes-as-of']).toBeUndefined();
    const doc = JSON.parse(text(res));
    const truth = stack.sandbox.likedIds('ada_maker');
    expect(doc).toMatchObject({ format: 'thingiverse-likes/1', user: 'ada_maker', count: truth.length });
    expect(doc).not.toHaveProperty('as_of');
    expect(Date.now() - Date.parse(doc.exported_at)).toBeLessThan(60_000);
    expect(doc.things.map((t: { id: number }) => t.id)).toEqual(truth);
    expect(doc.things.map((t: { liked_position: number }) => t.liked_position)).toEqual(truth.map((_, i) => i + 1));
    for (const t of doc.things) {
      expect(Object.keys(t)).toEqual(['id', 'name', 'url', 'creator', 'thumbnail', 'like_count', 'liked_position']);
      expect(t.name).not.toBe('');
      expect(t.creator).not.toBe('');
      expect(typeof t.like_count).toBe('number');
    }
    expect(text(res)).not.toMatch(/Bearer|access_token/);
  });

  it('CSV: the same columns with a header row, and it reads back as the same ids', async () => {
    const u = await likedUser(stack, 'ada_maker');
    const res = await download(u, 'csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="?thingiverse-likes-ada_maker-${today()}\\.csv"?$`));
    const csv = text(res);
    expect(csv.split('\r\n')[0]).toBe('id,name,url,creator,thumbnail,like_count,liked_position');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    const json = JSON.parse(text(await download(u, 'json').expect(200)));
    expect(rows.map((r) => Number(r.id))).toEqual(json.things.map((t: { id: number }) => t.id));
    expect(rows[0]!.name).toBe(json.things[0].name);
    expect(parseImport(Buffer.from(csv)).ids).toEqual(stack.sandbox.likedIds('ada_maker'));
  });

  it('streams 1,200 likes in many chunks (no Content-Length, chunked)', async () => {
    const u = await likedUser(stack, 'cleo_collects');
    await u.settled();
    const { headers, chunks, body } = await new Promise<{ headers: http.IncomingHttpHeaders; chunks: number; body: string }>((resolve, reject) => {
      http.get(`${stack.url}/liked/export?format=csv`, { headers: { Cookie: u.cookie } }, (res) => {
        let n = 0;
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => { n++; parts.push(c); });
        res.on('end', () => resolve({ headers: res.headers, chunks: n, body: Buffer.concat(parts).toString('utf8') }));
      }).on('error', reject);
    });
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(headers['content-length']).toBeUndefined();
    expect(chunks).toBeGreaterThan(5);
    expect(parseImport(Buffer.from(body)).ids).toEqual(stack.sandbox.likedIds('cleo_collects'));
  });

  it('a like made here is exported with its details (the export refreshes what the index lacks)', async () => {
    const u = await likedUser(stack, 'bram_prints');
    await u.settled();
    const home = (await u.get('/?page=3').expect(200)).text;
    const id = cardIds(home).find((i) => !stack.sandbox.likedIds('bram_prints').includes(i))!;
    await supertest(stack.url).post(`/things/${id}/like`).set('Cookie', u.cookie).type('form').send({ _csrf: csrfFrom(home) }).expect(303);
    const doc = JSON.parse(text(await download(u, 'json').expect(200)));
    expect(doc.things[0]).toMatchObject({ id, liked_position: 1 });
    expect(doc.things[0].name).not.toBe('');
    expect(doc.things[0].creator).not.toBe('');
  });

  it('when Thingiverse cannot be reached, exports what the index has and says "as of"', async () => {
    const u = await likedUser(stack, 'ada_maker');
    await u.settled();
    await stack.stopSandbox();
    try {
      const res = await download(u, 'json').expect(200);
      const asOf = res.headers['x-likes-as-of'] as string;
      expect(Date.parse(asOf)).toBeLessThanOrEqual(Date.now());
      const doc = JSON.parse(text(res));
      expect(doc.as_of).toBe(asOf);
      expect(doc.things.map((t: { id: number }) => t.id)).toEqual(stack.sandbox.likedIds('ada_maker'));
      expect((await download(u, 'csv').expect(200)).headers['x-likes-as-of']).toBe(asOf);
    } finally {
      await stack.startSandbox();
    }
  });

  it('with nothing indexed yet and Thingiverse away, it is a clear error, not an empty file', async () => {
    const u = await likedUser(stack, 'dara_new');
    await stack.stopSandbox();
    try {
      const res = await u.get('/liked/export?format=json');
      expect(res.status).toBe(502);
      expect(res.headers['content-disposition']).toBeUndefined();
    } finally {
      await stack.startSandbox();
    }
  });

  it('refuses an unknown format and asks to log in when logged out', async () => {
    const u = await likedUser(stack, 'ada_maker');
    expect((await u.get('/liked/export?format=xml').expect(400)).text).toMatch(/format=json or format=csv/);
    await supertest(stack.url).get('/liked/export?format=json').expect(401);
  });
});
