// In-process timing of the liked page's index query (LikedIndex.query) at 10 and at 10,000
// likes: the same rows bench-scale.ts gives heavy_liker and its light user, in a temporary
// SQLite file, without HTTP. Prints the min and p50 per query and user, and heavy/light.
// Usage: npx tsx scripts/liked-timing.ts [runs]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/store/db.js';
import { LikedIndex, type LikedQuery, type SeenThing } from '../src/store/liked-index.js';
import { HEAVY_USER_ID, makeHeavyUser } from '../src/sandbox/heavy-user.js';
import { getSeed } from '../src/sandbox/seed.js';
import { pickQuery } from './bench-scale.js';

const runs = Number(process.argv[2] ?? 2000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liked-timing-'));
const db = openDb(path.join(dir, 'app.sqlite'));
const index = new LikedIndex(db);

const seed = getSeed();
const heavy = makeHeavyUser(10_000, seed);
const creators = new Map(seed.users.map((u) => [u.id, u.name]));
const byId = new Map([...seed.things, ...heavy.things].map((t) => [t.id, t]));
const seen = (id: number): SeenThing => {
  const t = byId.get(id)!;
  return { id, name: t.name, url: `https://www.thingiverse.com/thing:${id}`, creator: creators.get(t.creatorId) ?? null, thumbnail: null, likeCount: t.baseLikes };
};
function fill(userId: number, ids: number[]): void {
  const gen = index.beginRefresh(userId);
  for (let i = 0; i < ids.length; i += 100) index.writePage(userId, gen, i, ids.slice(i, i + 100).map(seen));
  index.endRefresh(userId, gen, true);
}
const { q, ids } = pickQuery(10_000);
const LIGHT = 1;
const started = process.hrtime.bigint();
fill(HEAVY_USER_ID, heavy.likedIds);
console.log(`writing 10,000 likes (100 refresh pages): ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
fill(LIGHT, [...ids, ...seed.things.slice(200, 210).map((t) => t.id)].slice(0, 10));

function time(userId: number, query: LikedQuery): { min: number; p50: number } {
  for (let i = 0; i < 50; i++) index.query(userId, query);
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    index.query(userId, query);
    t.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  t.sort((a, b) => a - b);
  return { min: t[0]!, p50: t[Math.floor(t.length / 2)]! };
}

const queries: LikedQuery[] = [
  { q, sort: 'name', page: 1, perPage: 30 },
  { q, sort: 'recent', page: 1, perPage: 30 },
  { q: 'design', sort: 'name', page: 1, perPage: 30 },
  { q: 'design', sort: 'likes', page: 50, perPage: 30 },
  { q: 'de 840', sort: 'name', page: 1, perPage: 30 },
  { q: 'de', sort: 'name', page: 1, perPage: 30 },
  { sort: 'name', page: 1, perPage: 30 },
  { sort: 'recent', page: 10, perPage: 30 },
];
console.log('query'.padEnd(40), 'light min/p50 µs'.padEnd(20), 'heavy min/p50 µs'.padEnd(20), 'heavy/light p50', 'matching');
for (const query of queries) {
  const l = time(LIGHT, query);
  const h = time(HEAVY_USER_ID, query);
  const label = `q=${query.q ?? ''} sort=${query.sort} page=${query.page}`;
  const m = `${index.query(LIGHT, query).matching}/${index.query(HEAVY_USER_ID, query).matching}`;
  console.log(label.padEnd(40), `${l.min.toFixed(0)}/${l.p50.toFixed(0)}`.padEnd(20), `${h.min.toFixed(0)}/${h.p50.toFixed(0)}`.padEnd(20), (h.p50 / l.p50).toFixed(2).padEnd(15), m);
}
for (const userId of [LIGHT, HEAVY_USER_ID]) {
  const t: number[] = [];
  for (let i = 0; i < runs / 10; i++) {
    const start = process.hrtime.bigint();
    index.applyChange(userId, 42, true);
    index.applyChange(userId, 42, false);
    t.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  t.sort((a, b) => a - b);
  console.log(`like + unlike, ${userId === LIGHT ? 'light' : 'heavy'}: min/p50 ${t[0]!.toFixed(0)}/${t[Math.floor(t.length / 2)]!.toFixed(0)} µs`);
}
db.close();
fs.rmSync(dir, { recursive: true, force: true });
