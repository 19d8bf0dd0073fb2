// The state file behind `likes import --resume`: what is left to send, what was done, and
// the write that was in flight if the process died mid-write. Kept in the user's data
// folder (no token in it), keyed by host, user, --match and the file's bytes, so resuming
// a different file or account cannot pick up someone else's plan.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import type { Step } from './writer.js';

export interface ImportState {
  version: 1;
  file: string;
  host: string;
  user: string;
  remaining: Step[];
  done: { liked: number; unliked: number; own: number; failed: number };
  inFlight: Step | null;
}

export function stateFile(key: { host: string; user: string; match: boolean; data: Buffer }): string {
  const hash = crypto.createHash('sha256').update(`${key.host}\n${key.user}\n${key.match}\n`).update(key.data).digest('hex').slice(0, 32);
  return path.join(envPaths('thingiverse-likes', { suffix: '' }).data, 'imports', `${hash}.json`);
}

export function readState(file: string): ImportState | null {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as ImportState;
    const steps = [...(s.remaining ?? []), ...(s.inFlight ? [s.inFlight] : [])];
    const sane = s.version === 1 && Array.isArray(s.remaining) && steps.every((x) => Number.isSafeInteger(x.id) && x.id > 0 && typeof x.like === 'boolean');
    return sane ? s : null;
  } catch {
    return null;
  }
}

export function writeState(file: string, state: ImportState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function removeState(file: string): void {
  fs.rmSync(file, { force: true });
}
