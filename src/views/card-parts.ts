// A card's parts that depend only on its thing, as HTML: its id and name escaped (the like
// form repeats them) and the block views/partials/card-own.ejs renders (name, image, creator,
// link). Made once per thing object and kept in a WeakMap: a cached list hands the same
// objects to every page view, and escaping and joining these was most of the grid's time
// (--cpu-prof). The parts go with the list they belong to. What changes per view or per
// viewer (the count, like state, the form's CSRF token, "your thing") stays in the grid.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { VIEWS, ejsOptions } from './engine.js';
import { escapeHtml } from './escape.js';

export interface CardFields {
  id: number;
  name: string;
  image: string | null;
  creator: { displayName: string } | null;
  publicUrl: string | null;
}

export interface CardParts {
  idHtml: string;
  nameHtml: string;
  ownHtml: string;
}

const ejs = createRequire(import.meta.url)('ejs') as { compile(text: string, opts: object): (data: object) => string };
const FILE = path.join(VIEWS, 'partials', 'card-own.ejs');
// Compiled once per process: a changed card-own.ejs shows after a restart.
let own: ((data: object) => string) | undefined;
const renderOwn = (fields: CardFields) => (own ??= ejs.compile(fs.readFileSync(FILE, 'utf8'), { ...ejsOptions(true), filename: FILE }))(fields);

const made = new WeakMap<object, CardParts>();

/**
 * The same text as one flat string. EJS returns a rope (a tree of the pieces it joined), and a
 * kept rope is walked again by every page that includes it, when the page is turned into bytes.
 */
const flat = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/** The parts for these fields; with `source` (the thing they were made from), made once per source. */
export function cardParts(fields: CardFields, source?: object): CardParts {
  const known = source && made.get(source);
  if (known) return known;
  const parts = { idHtml: escapeHtml(fields.id), nameHtml: escapeHtml(fields.name), ownHtml: flat(renderOwn(fields)) };
  if (source) made.set(source, parts);
  return parts;
}
