// The latest bench table goes into README.md and docs/performance.md between the markers
// below, with the machine, the date and the commit it was measured on: the figures there are
// always the output of one `npm run bench`, never typed by hand.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const START = '<!-- bench:latest (written by npm run bench; do not edit) -->';
const END = '<!-- /bench:latest -->';
const FILES = ['README.md', path.join('docs', 'performance.md')];

function commit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Replaces the marked block in each file that has the markers; returns the files written. */
export function publish(lines: string[], root = process.cwd()): string[] {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const head = `Latest \`npm run bench\`: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit()}, `
    + `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`;
  const block = [START, head, '', '```', ...lines, '```', END].join('\n');
  const written: string[] = [];
  for (const rel of FILES) {
    const file = path.join(root, rel);
    const text = fs.readFileSync(file, 'utf8');
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a < 0 || b < a) continue;
    fs.writeFileSync(file, text.slice(0, a) + block + text.slice(b + END.length));
    written.push(rel);
  }
  return written;
}
