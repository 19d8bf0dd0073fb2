// One SQLite file holds sessions and like-state snapshots, so both survive a restart.
// WAL lets reads proceed while a write is in progress; busy_timeout rides out a
// second process (e.g. a restart overlapping the old one) holding the lock briefly.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

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
  db.pragma('busy_timeout = 5000');
  return db;
}
