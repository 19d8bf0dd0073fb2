// Deterministic seed data: ~40 invented creators, 4 demo users and 1,600 things, identical on every run.
// Built once per process (it is immutable); the mutable parts (likes) are copied into the state on reset.
import { createRng, isoDate } from './random.js';
import * as W from './words.js';
import { markSpecial } from './seed-specials.js';

export interface SeedUser {
  id: number;
  name: string;
  firstName: string;
  lastName: string;
  location: string;
  bio: string;
  registered: string;
  lastActive: string;
  followers: number; following: number;
  /** Demo users appear on the consent page and can sign in. */
  demo: boolean;
}

export interface SeedThing {
  id: number;
  name: string;
  creatorId: number;
  createdAt: string;
  modifiedAt: string;
  /** Tag display names; slugs are derived. */
  tags: string[];
  /** Likes from people outside the sandbox; like_count = baseLikes + demo users' likes. */
  baseLikes: number;
  commentCount: number; collectCount: number; makeCount: number;
  downloadCount: number; viewCount: number; fileCount: number;
  isFeatured: boolean;
  license: string;
  description: string;
  /** Index into HOSTILE_DESCRIPTIONS: the description's second paragraph is that raw HTML. */
  hostile?: number;
  /** Its thumbnail and images are `.stl` files, not pictures (real data has these). */
  stlThumbnail?: boolean;
}

export interface Seed {
  users: SeedUser[];
  things: SeedThing[];
  /** Tag name → number of seed things carrying it. */
  tagCounts: Map<string, number>;
  /** Demo user id → liked thing ids, newest like first. */
  likes: Map<number, number[]>;
}

export const THING_COUNT = 1600;
const START = Date.UTC(2014, 0, 1);
const END = Date.UTC(2024, 10, 30);

export const DEMO_USERS = [
  { id: 5100001, name: 'ada_maker', first: 'Ada', last: 'Lindqvist', likes: 12 },
  { id: 5100002, name: 'bram_prints', first: 'Bram', last: 'Okafor', likes: 5 },
  { id: 5100003, name: 'cleo_collects', first: 'Cleo', last: 'Marsh', likes: 1200 },
  { id: 5100004, name: 'dara_new', first: 'Dara', last: 'Novak', likes: 0 },
] as const;

function buildUsers(rng: ReturnType<typeof createRng>): SeedUser[] {
  const user = (id: number, name: string, first: string, last: string, demo: boolean): SeedUser => {
    const registered = START - rng.int(0, 4 * 365) * 86_400_000;
    return {
      id, name, firstName: first, lastName: last, demo,
      location: rng.pick(W.PLACES),
      bio: `${first} prints ${rng.pick(W.NOUNS).toLowerCase()}s & other useful things.`,
      registered: isoDate(registered),
      lastActive: isoDate(END - rng.int(0, 200) * 86_400_000),
      followers: rng.int(0, 900),
      following: rng.int(0, 120),
    };
  };
  const users = DEMO_USERS.map((d) => user(d.id, d.name, d.first, d.last, true));
  const taken = new Set(users.map((u) => u.name.toLowerCase()));
  const ids = new Set(users.map((u) => u.id));
  while (users.length < DEMO_USERS.length + 40) {
    let name = rng.pick(W.HANDLE_PARTS[0]) + rng.pick(W.HANDLE_PARTS[1]);
    if (rng.next() < 0.3) name = name.toLowerCase();
    if (taken.has(name.toLowerCase())) name += rng.int(2, 99);
    const id = rng.int(10_000, 4_999_999);
    if (taken.has(name.toLowerCase()) || ids.has(id)) continue;
    taken.add(name.toLowerCase());
    ids.add(id);
    users.push(user(id, name, rng.pick(W.FIRST_NAMES), rng.pick(W.LAST_NAMES), false));
  }
  return users;
}

function buildThings(rng: ReturnType<typeof createRng>, users: SeedUser[]): SeedThing[] {
  const creators = users.filter((u) => !u.demo);
  const bram = users.find((u) => u.name === 'bram_prints')!;
  const step = (END - START) / THING_COUNT;
  const things: SeedThing[] = [];
  let id = 1_200_000;
  let at = START;
  for (let i = 0; i < THING_COUNT; i++) {
    id += rng.int(1, 4000);
    at += Math.floor(rng.next() * 2 * step);
    const noun = rng.pick(W.NOUNS);
    let name = `${rng.pick(W.ADJECTIVES)} ${noun}${rng.pick(W.SUFFIXES)}`;
    if (rng.next() < 0.02) name += ' '; // real names sometimes carry a trailing space
    // Skewed like counts: a few very popular things, a long tail of modest ones.
    let baseLikes = Math.floor(rng.next() ** 3 * 8000) + rng.int(0, 40);
    const tricky = i % 300 === 100 ? W.TRICKY_NAMES[(i - 100) / 300] : undefined;
    if (tricky !== undefined) {
      name = tricky;
      baseLikes = 7700 + Math.floor(i / 3); // high enough for the first page of /popular, spread among the others
    }
    const creator = i % 177 === 5 ? bram : creators[Math.floor(rng.next() ** 2 * creators.length)]!;
    const tags = new Set([noun.split(' ').at(-1)!.toLowerCase(), ...rng.sample(W.TAGS, rng.int(0, 5))]);
    things.push({
      id, name, creatorId: creator.id, tags: [...tags],
      createdAt: isoDate(at),
      modifiedAt: isoDate(Math.min(END, at + rng.int(0, 60) * 86_400_000)),
      baseLikes,
      commentCount: Math.floor(baseLikes / rng.int(20, 80)),
      collectCount: Math.floor(baseLikes * (0.8 + rng.next() * 0.6)),
      makeCount: Math.floor(baseLikes / rng.int(25, 60)),
      downloadCount: baseLikes * rng.int(4, 12) + rng.int(0, 99),
      viewCount: baseLikes * rng.int(15, 40) + rng.int(10, 999),
      fileCount: rng.int(1, 6),
      isFeatured: rng.next() < 0.05,
      license: rng.pick(W.LICENSES),
      description: `${name.trim()}.\r\n\r\n${rng.pick(W.BLURBS)}\r\n`,
    });
  }
  markSpecial(things);
  return things;
}

function buildLikes(rng: ReturnType<typeof createRng>, things: SeedThing[]): Map<number, number[]> {
  const likes = new Map<number, number[]>();
  for (const demo of DEMO_USERS) {
    // Nobody likes their own thing (the API refuses it), so the seed must not either.
    const candidates = things.filter((t) => t.creatorId !== demo.id).map((t) => t.id);
    likes.set(demo.id, rng.sample(candidates, demo.likes));
  }
  return likes;
}

function buildSeed(): Seed {
  const rng = createRng(0x7417_1e5);
  const users = buildUsers(rng);
  const things = buildThings(rng, users);
  const tagCounts = new Map<string, number>();
  for (const t of things) for (const tag of t.tags) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  return { users, things, tagCounts, likes: buildLikes(rng, things) };
}

let cached: Seed | undefined;
/** The seed, built on first use. Callers must treat it as read-only. */
export function getSeed(): Seed {
  cached ??= buildSeed();
  return cached;
}
