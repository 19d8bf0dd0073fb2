// One SQLite file holds sessions and like-state snapshots, so both survive a restart.
// WAL lets reads proceed while another connection writes. The busy timeout is short on
// purpose: better-sqlite3 waits synchronously, so every millisecond here is a millisecond no
// request (static files included) is served. A write still refused is retried later
// (write-behind.ts) instead of stalling the server.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const BUSY_TIMEOUT_MS = 20;

export function openDb(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // The file holds access tokens: owner-only. SQLite gives -wal/-shm the same mode.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}
