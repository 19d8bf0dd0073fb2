// How the liked page's search (q) is answered without reading every row of a user with 10,000
// likes: from liked_search, the FTS5 trigram index of each row's `words` (liked-schema.ts).
//
// What matches (the same as the LIKE scan this replaced): a row whose name and creator,
// lower-cased, contain every word of the query (split on white space, at most 8, lower-cased)
// as a substring; %, _ and " are plain characters. The trigram index answers that exactly for
// a word of 3+ characters (its trigrams at consecutive places = the substring). A shorter word
// has no trigram: it is checked with instr() on the rows the index found, and a query of short
// words only walks the user's rows (in the sort's index) as before, as does any search by a user
// with under FEW_ROWS likes (cheaper than a lookup). instr(), not LIKE: the
// same test here (both sides are lower-cased; nothing to escape), and a LIKE on a bound
// parameter makes SQLite prepare the statement again at every run (about 25 µs).
import type { Db } from './db.js';
import { MAX_KEYED_THING, MAX_KEYED_USER } from './liked-schema.js';

/** What a page query filters with (LikedIndex.sql builds it). */
export interface Filter {
  /** An FTS5 query over the user's entries in liked_search, or null: walk the user's rows. */
  match: string | null;
  /** Words the row's `words` must all contain. */
  contains: string[];
  /** The match has fewer than PROBE entries (a probe counted them): read them all at once. */
  few?: true;
}

/** The user's entries matching @match: the rowid range keeps the search to the user's postings. */
export const USER_MATCHES = `liked_search MATCH @match
  AND liked_search.rowid BETWEEN (@user << 32) AND ((@user << 32) | ${MAX_KEYED_THING})`;
/** The liked_index row (as li) of a liked_search entry. */
export const ENTRY_ROW = `li.user_id = @user AND li.thing_id = (liked_search.rowid & ${MAX_KEYED_THING})`;

/**
 * FTS5 intersects words by stepping through every posting of each, so "design 840" would cost
 * what "design" does (8,400 rows of heavy_liker). Instead each word is counted up to PROBE
 * (cheap: a probe stops there), and a word found fewer times is looked up alone, the others
 * checked on its rows.
 */
const PROBE = 32;
/** Reading this many rows costs less than looking a word up (some 10-40 µs a word). */
const FEW_ROWS = 100;
/** Bounds of the remembered choices (a bound, not a cache policy: past it, all are dropped). */
const CHOICES_PER_USER = 64;
const CHOICE_USERS = 1_000;

/** The words of a search, lower-cased. */
export function searchWords(q: string | undefined): string[] {
  return (q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
}

/** A word as an FTS5 string: everything in it is literal, a " is doubled. */
const phrase = (w: string) => `"${w.replace(/"/g, '""')}"`;
/** Trigrams are of characters (code points), not UTF-16 units. */
const indexable = (w: string) => [...w].length >= 3;
const without = (words: string[], i: number) => words.filter((_, j) => j !== i);

export class LikedSearch {
  private readonly stmts;
  /**
   * The filter each search of a user chose, until that user's rows change (LikedIndex calls
   * changed() on every write). The probes are most of a 10,000-like user's page (some 30-50 µs
   * a word), and a user pages and re-sorts one search. Only speed depends on this: every filter
   * finds the same rows (a word matched or checked with instr() is the same test).
   */
  private readonly chosen = new Map<number, Map<string, Filter>>();

  constructor(db: Db) {
    this.stmts = {
      probe: db.prepare<{ user: number; match: string }, { n: number }>(
        `SELECT COUNT(*) AS n FROM (SELECT 1 FROM liked_search WHERE ${USER_MATCHES} LIMIT ${PROBE})`),
      unkeyed: db.prepare<[number], { n: number }>(
        `SELECT EXISTS (SELECT 1 FROM liked_index WHERE user_id = ? AND thing_id > ${MAX_KEYED_THING}) AS n`),
    };
  }

  /** The filter for `words` (not empty) of a search by a user with `total` rows. */
  filter(userId: number, words: string[], total: number): Filter {
    const long = words.filter(indexable);
    if (total < FEW_ROWS || long.length === 0) return { match: null, contains: words };
    const key = words.join(' ');
    let mine = this.chosen.get(userId);
    const known = mine?.get(key);
    if (known) return known;
    const filter = this.keyed(userId) ? this.probe(userId, words, long) : { match: null, contains: words };
    if (!mine) {
      if (this.chosen.size >= CHOICE_USERS) this.chosen.clear();
      this.chosen.set(userId, (mine = new Map()));
    }
    if (mine.size >= CHOICES_PER_USER) mine.clear();
    mine.set(key, filter);
    return filter;
  }

  /** The user's rows changed (or, without a user, everyone's): their searches choose again. */
  changed(userId?: number): void {
    if (userId === undefined) this.chosen.clear();
    else this.chosen.delete(userId);
  }

  private probe(userId: number, words: string[], long: string[]): Filter {
    const short = words.filter((w) => !indexable(w));
    if (long.length > 1) {
      const counts = long.map((w) => this.stmts.probe.get({ user: userId, match: phrase(w) })!.n);
      const rarest = counts.indexOf(Math.min(...counts));
      if (counts[rarest]! < PROBE) return { match: phrase(long[rarest]!), contains: [...without(long, rarest), ...short], few: true };
    }
    return { match: long.map(phrase).join(' AND '), contains: short };
  }

  /** Are all of the user's rows in liked_search (see liked-schema.ts)? */
  private keyed(userId: number): boolean {
    return userId >= 0 && userId <= MAX_KEYED_USER && this.stmts.unkeyed.get(userId)!.n === 0;
  }
}
