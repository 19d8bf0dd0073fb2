// Where `auth login` keeps tokens: one JSON file in the user's config folder (env-paths),
// mode 0600 inside a 0700 folder, one entry per API host. The token is read here and
// handed to the client; it is never printed, logged or put in an error message.
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';

export interface StoredLogin {
  token: string;
  user: { id: number; name: string; displayName: string };
  savedAt: string;
}

type StoreFile = { version: 1; hosts: Record<string, StoredLogin> };

export function configDir(): string {
  return envPaths('thingiverse-likes', { suffix: '' }).config;
}

export function tokenFilePath(): string {
  return path.join(configDir(), 'hosts.json');
}

function readAll(): StoreFile {
  let text: string;
  try {
    text = fs.readFileSync(tokenFilePath(), 'utf8');
  } catch {
    return { version: 1, hosts: {} };
  }
  try {
    const parsed = JSON.parse(text) as StoreFile;
    if (parsed && parsed.version === 1 && typeof parsed.hosts === 'object' && parsed.hosts) return parsed;
  } catch {
    // A damaged file is treated as "not logged in"; the next login rewrites it.
  }
  return { version: 1, hosts: {} };
}

/** Written to a private temporary file and renamed, so a crash never leaves half a token or a readable copy. */
function writeAll(data: StoreFile): void {
  const dir = configDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700); // mkdir's mode is masked by the umask, and an existing folder keeps its own
  const file = tokenFilePath();
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, JSON.stringify(data, null, 2) + '\n');
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export function loadLogin(host: string): StoredLogin | null {
  const entry = readAll().hosts[host];
  return entry && typeof entry.token === 'string' && entry.user ? entry : null;
}

export function saveLogin(host: string, login: StoredLogin): void {
  const data = readAll();
  data.hosts[host] = login;
  writeAll(data);
}

/** True when there was a login to forget. */
export function deleteLogin(host: string): boolean {
  const data = readAll();
  if (!data.hosts[host]) return false;
  delete data.hosts[host];
  if (Object.keys(data.hosts).length === 0) fs.rmSync(tokenFilePath(), { force: true });
  else writeAll(data);
  return true;
}
