// likes list / ids / export / import through the real CLI: JSON and CSV in the app's
// formats, hostile import files refused by line, Ctrl-C in the middle of an import, --resume,
// and a rate limit that stops the run cleanly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { getSeed } from '../src/sandbox/seed.js';
import { loginAs, makeHome, runCli, spawnCli, startCliSandbox, type CliSandbox, type Home } from './helpers/cli.js';

let sbx: CliSandbox;
let home: Home;
const seedIds = getSeed().things.slice(0, 30).map((t) => t.id);

beforeAll(async () => void (sbx = await startCliSandbox()));
afterAll(async () => sbx.close());
beforeEach(async () => {
  sbx.sandbox.reset();
  home = makeHome(sbx);
  await loginAs(sbx, home, 'ada_maker');
});

const file = (name: string, content: string | Buffer) => {
  const p = path.join(home.dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const likeWrites = (mark: number) => sbx.sandbox.requests().slice(mark).filter((r) => r.method === 'POST' && r.url.includes('/likes'));
/** Waits for something the sandbox's request log shows (checked on each tick, no fixed sleep). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('the event never happened');
}
const stateFiles = () => {
  const dir = path.join(home.dir, 'data', 'thingiverse-likes', 'imports');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('likes list and ids', () => {
  it('lists your likes newest first, another user\'s with --user, sorted by name, and every id', async () => {
    const mine = await runCli(['likes', 'list', '--json'], home);
    expect(mine.code).toBe(0);
    const things = JSON.parse(mine.stdout) as { id: number; name: string }[];
    expect(things.map((t) => t.id)).toEqual(sbx.sandbox.likedIds('ada_maker'));
    const cleo = await runCli(['likes', 'list', '--user', 'cleo_collects', '--limit', '5'], home);
    expect(cleo.stdout.trim().split('\n')).toHaveLength(5);
    const byName = JSON.parse((await runCli(['likes', 'list', '--sort', 'name', '--json'], home)).stdout) as { name: string }[];
    expect(byName.map((t) => t.name)).toEqual([...things.map((t) => t.name)].sort((a, b) => a.localeCompare(b)));
    const ids = await runCli(['likes', 'ids', '--user', 'cleo_collects'], home);
    expect(ids.stdout.trim().split('\n').map(Number)).toEqual(sbx.sandbox.likedIds('cleo_collects'));
    const bad = await runCli(['likes', 'ids', '--user', '../../admin'], home);
    expect(bad.code).toBe(2);
  });
});

describe('likes export', () => {
  it('writes the app\'s JSON format to stdout and CSV to a file with -o', async () => {
    const json = await runCli(['likes', 'export'], home);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { format: string; user: string; count: number; things: { id: number; liked_position: number }[] };
    expect(doc).toMatchObject({ format: 'thingiverse-likes/1', user: 'ada_maker', count: 12 });
    expect(doc.things.map((t) => t.id)).toEqual(sbx.sandbox.likedIds('ada_maker'));
    expect(doc.things[0]!.liked_position).toBe(1);
    const out = path.join(home.dir, 'likes.csv');
    const csv = await runCli(['likes', 'export', '--format', 'csv', '-o', out], home);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('');
    const rows = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('id,name,url,creator,thumbnail,like_count,liked_position');
    expect(rows).toHaveLength(13);
  });
});

describe('likes import', () => {
  it('--dry-run shows the plan and sends nothing; the import likes what is missing; the export imports back', async () => {
    const exported = file('mine.json', (await runCli(['likes', 'export'], home)).stdout);
    const dara = makeHome(sbx);
    await loginAs(sbx, dara, 'dara_new');
    const mark = sbx.sandbox.requests().length;
    const dry = await runCli(['likes', 'import', exported, '--dry-run', '--json'], dara);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, format: 'json', alreadyLiked: [], toUnlike: [] });
    expect(likeWrites(mark)).toEqual([]);
    const run = await runCli(['likes', 'import', exported], dara);
    expect(run.code).toBe(0);
    // Sent oldest first, as the web import does, so the order of the likes survives the round trip.
    expect(sbx.sandbox.likedIds('dara_new')).toEqual(sbx.sandbox.likedIds('ada_maker'));
  });

  it('refuses formula cells, bad ids, other sites, binary and broken JSON with exit 2, naming the line, sending nothing', async () => {
    const cases: [string, string, string | Buffer, RegExp][] = [
      ['a CSV formula cell', 'x.csv', `id,name\n${seedIds[0]},ok\n=HYPERLINK("http://evil.example","click"),bad\n`, /x\.csv line 3: /],
      ['an id that is not one', 'x.txt', `${seedIds[0]}\n${seedIds[1]}\n-5\n`, /x\.txt line 3: /],
      ['a URL of another site', 'y.txt', `https://evil.example/thing:${seedIds[0]}\n`, /y\.txt line 1: Not a Thingiverse address/],
      ['a binary file', 'x.bin', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0x14, 0]), /not a text file/],
      ['broken JSON', 'x.json', '{"format":"thingiverse-likes/1","things":[{"id":1},\n', /x\.json.*not valid JSON/],
    ];
    const mark = sbx.sandbox.requests().length;
    const runs = await Promise.all(cases.map(([, name, content]) => runCli(['likes', 'import', file(name, content)], home)));
    runs.forEach((run, i) => {
      const [name, , , message] = cases[i]!;
      expect({ name, code: run.code }).toEqual({ name, code: 2 });
      expect(run.stderr).toMatch(message);
    });
    expect(sbx.sandbox.requests().length).toBe(mark);
  });

  it('a 100 MB file is refused from its size without being read', async () => {
    const p = path.join(home.dir, 'huge.txt');
    fs.writeFileSync(p, '');
    fs.truncateSync(p, 100 * 1024 * 1024); // sparse: no 100 MB written to disk
    const run = await runCli(['likes', 'import', p], home);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/larger than 1 MB/);
  });

  it('Ctrl-C mid-import finishes the write in flight, saves the state, and --resume completes it with no write twice', async () => {
    const ids = seedIds.slice(0, 20);
    const p = file('twenty.txt', ids.join('\n') + '\n');
    sbx.sandbox.addFault({ kind: 'latency', route: 'POST /things/:id/likes', ms: 60 });
    const mark = sbx.sandbox.requests().length;
    const before = new Set(sbx.sandbox.likedIds('ada_maker'));
    const child = spawnCli(['likes', 'import', p], home);
    await child.waitFor(/Importing: 3\/\d+/);
    child.proc.kill('SIGINT');
    const stopped = await child.done;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/Stopping after the request in flight/);
    expect(stopped.stderr).toMatch(/not sent[\s\S]*--resume/);
    const done = likeWrites(mark).length;
    expect(done).toBeGreaterThanOrEqual(3);
    const toLike = ids.filter((id) => !before.has(id)).length;
    expect(done).toBeLessThan(toLike);
    // Every write that was sent is stored, and the report says so.
    expect(sbx.sandbox.likedIds('ada_maker').length).toBe(before.size + done);
    expect(stopped.stdout.trim().split('\n').filter((l) => l.startsWith('liked'))).toHaveLength(done);
    expect(stateFiles()).toHaveLength(1);

    const resumed = await runCli(['likes', 'import', p, '--resume'], home);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/Resuming: \d+ left/);
    expect(likeWrites(mark)).toHaveLength(toLike); // nothing sent twice
    for (const id of ids) expect(sbx.sandbox.likedIds('ada_maker')).toContain(id);
    expect(stateFiles()).toEqual([]);
    const again = await runCli(['likes', 'import', p, '--resume'], home);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no interrupted import/);
  });

  it('a process killed mid-write: --resume reads the thing back first and does not send that write again', async () => {
    const ids = seedIds.slice(10, 14);
    const p = file('four.txt', ids.join('\n'));
    // The second write is stored, then its answer never comes: the CLI is killed waiting for it.
    sbx.sandbox.addFault({ kind: 'hang', route: 'POST /things/:id/likes', after: true, times: 1, ms: 60_000 });
    const before = new Set(sbx.sandbox.likedIds('ada_maker'));
    const toLike = ids.filter((id) => !before.has(id));
    const mark = sbx.sandbox.requests().length;
    const child = spawnCli(['likes', 'import', p], home);
    await until(() => likeWrites(mark).length === 1);
    child.proc.kill('SIGKILL');
    await child.done;
    expect(stateFiles()).toHaveLength(1);
    const resumed = await runCli(['likes', 'import', p, '--resume'], home);
    expect(resumed.code).toBe(0);
    expect(likeWrites(mark)).toHaveLength(toLike.length); // the killed write was not sent twice
    for (const id of ids) expect(sbx.sandbox.likedIds('ada_maker')).toContain(id);
  });

  it('a long 429 stops the run cleanly with a state file; --resume after the wait finishes', async () => {
    const ids = seedIds.slice(0, 8);
    const p = file('eight.txt', ids.join('\n'));
    const before = new Set(sbx.sandbox.likedIds('ada_maker'));
    // Slow writes, so the run is still going when the 429 is switched on.
    sbx.sandbox.addFault({ kind: 'latency', route: 'POST /things/:id/likes', ms: 60 });
    const child = spawnCli(['likes', 'import', p], home);
    await child.waitFor(/Importing: 2\/\d+/);
    sbx.sandbox.addFault({ kind: 'ratelimit', route: 'POST /things/:id/likes', ms: 600_000, times: 1 });
    const stopped = await child.done;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/Stopped at Thingiverse's rate limit/);
    expect(stateFiles()).toHaveLength(1);
    const resumed = await runCli(['likes', 'import', p, '--resume'], home);
    expect(resumed.code).toBe(0);
    for (const id of ids) expect(sbx.sandbox.likedIds('ada_maker')).toContain(id);
    expect(sbx.sandbox.likedIds('ada_maker').length).toBe(new Set([...before, ...ids]).size);
  });
});
