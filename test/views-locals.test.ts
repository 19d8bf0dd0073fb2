// The app renders its views without EJS's `with (locals)` (src/views/engine.ts): a name a
// template uses but never takes from `locals` would throw a ReferenceError, and only on the
// branch that uses it. TypeScript's checker finds every such name in every template, so no
// branch, tested or not, can fail that way.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from '@jest/globals';
import { VIEWS, ejsOptions } from '../src/views/engine.js';

const ejs = createRequire(import.meta.url)('ejs') as {
  Template: new (text: string, opts: object) => { generateSource(): void; source: string };
};

const templates = (dir: string): string[] =>
  fs.readdirSync(path.join(VIEWS, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    // views/sandbox belongs to the sandbox's own Express app, which renders the EJS default way.
    if (e.isDirectory()) return dir === '' && e.name === 'sandbox' ? [] : templates(rel);
    return e.name.endsWith('.ejs') ? [rel] : [];
  });

/** Each template's generated function, as a TypeScript source file. */
function asSource(text: string, file: string): string {
  const t = new ejs.Template(text, { ...ejsOptions(true), filename: file });
  t.generateSource();
  return `export function render(locals: any, escapeFn: any, include: any, rethrow: any) {
  let __output = ''; const __append = (s: unknown) => { __output += String(s); };
${t.source}
}`;
}

/**
 * Per template, the names it uses without declaring them (JS's own globals are declared by
 * the ES2022 lib). One program for all: the lib is parsed once.
 */
function undeclared(texts: Record<string, string>): Record<string, string[]> {
  const sources = new Map(Object.entries(texts).map(([file, text], i) => [`view${i}.ts`, { file, source: asSource(text, file) }]));
  const host = ts.createCompilerHost({});
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang) => {
    const own = sources.get(name);
    return own ? ts.createSourceFile(name, own.source, lang) : read(name, lang);
  };
  const program = ts.createProgram([...sources.keys()], { noEmit: true, lib: ['lib.es2022.d.ts'], types: [] }, host);
  const found: Record<string, string[]> = Object.fromEntries(Object.keys(texts).map((f) => [f, []]));
  // 2304 "Cannot find name", 2552 "… Did you mean", 18004 "No value for the shorthand property".
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (![2304, 2552, 18004].includes(d.code) || !d.file) continue;
    const name = /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1] ?? '?';
    found[sources.get(d.file.fileName)!.file]!.push(name);
  }
  return found;
}

const GRID = path.join('partials', 'thing-grid.ejs');
const read = (file: string) => fs.readFileSync(path.join(VIEWS, file), 'utf8');
// The grid without `returnTo` in its first line: what forgetting a name looks like.
const forgot = read(GRID).replace(/^(<% const \{ [^}]*?)returnTo(, )?([^}]*\} = locals; -%>)/, '$1$3').replace(', }', ' }');

describe('views take every local they use', () => {
  const files = templates('');
  const found = undeclared({ ...Object.fromEntries(files.map((f) => [f, read(f)])), 'forgot-returnTo.ejs': forgot });

  it('finds the app templates (and not the sandbox ones)', () => {
    expect(files).toEqual(expect.arrayContaining(['list.ejs', 'thing.ejs', GRID]));
    expect(files.some((f) => f.startsWith('sandbox'))).toBe(false);
  });

  it.each(files)('%s', (file) => {
    expect(found[file]).toEqual([]);
  });

  it('would catch a name a template forgot to take', () => {
    expect(forgot).not.toEqual(read(GRID));
    expect(found['forgot-returnTo.ejs']).toContain('returnTo');
  });
});
