// like / unlike through the real CLI: idempotent, own things skipped with a note, --dry-run,
// ids from stdin, and hostile stdin refused by line with nothing sent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { DEMO_USERS, getSeed } from '../src/sandbox/seed.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, loginAs, makeHome, runCli, runCommand, startCliSandbox, type CliSandbox, type Home } from './helpers/cli.js';

let sbx: CliSandbox;
let home: Home;
const ids = getSeed().things.slice(0, 6).map((t) => t.id);
const bramsOwn = getSeed().things.find((t) => t.creatorId === DEMO_USERS[1]!.id)!.id;

beforeAll(async () => void (sbx = await startCliSandbox()));
afterAll(async () => sbx.close());
beforeEach(async () => {
  sbx.sandbox.reset();
  home = makeHome(sbx);
  await loginAs(sbx, home, 'dara_new'); // likes nothing yet
});

const writes = (mark: number) => sbx.sandbox.requests().slice(mark).filter((r) => r.method !== 'GET' && r.url.includes('/likes'));

describe('like and unlike', () => {
  it('likes ids and URLs, and a second run sends nothing (already liked is not an error)', async () => {
    const run = await runCli(['like', String(ids[0]), `${sbx.url}/thing:${ids[1]}`, `https://www.thingiverse.com/thing:${ids[2]}`], home);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(ids.slice(0, 3).map((id) => `liked   ${id}`));
    expect(new Set(sbx.sandbox.likedIds('dara_new'))).toEqual(new Set(ids.slice(0, 3)));
    const mark = sbx.sandbox.requests().length;
    const again = await runCli(['like', String(ids[0]), '--json'], home);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ already: [ids[0]], liked: 0, results: [] });
    expect(writes(mark)).toEqual([]);
    const unlike = await runCli(['unlike', String(ids[0]), String(ids[5])], home);
    expect(unlike.code).toBe(0);
    expect(unlike.stdout.trim()).toBe(`unliked ${ids[0]}`);
    expect(unlike.stderr).toMatch(/1 already not liked/);
    expect(sbx.sandbox.likedIds('dara_new')).not.toContain(ids[0]);
  });

  it('skips your own thing with a note instead of failing', async () => {
    const bram = makeHome(sbx);
    await loginAs(sbx, bram, 'bram_prints');
    const run = await runCli(['like', String(bramsOwn), String(ids[0]), '--json'], bram);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ liked: 1, own: 1 });
    expect(run.stderr).toMatch(/1 skipped \(your own things/);
  });

  it('--dry-run says what would be sent and sends nothing', async () => {
    const mark = sbx.sandbox.requests().length;
    const run = await runCli(['like', '--dry-run', ...ids.slice(0, 2).map(String)], home);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(ids.slice(0, 2).map((id) => `would like ${id}`));
    expect(writes(mark)).toEqual([]);
  });

  it('reads ids and URLs from stdin with -, one a line, with plain progress lines off a terminal', async () => {
    const input = `# my list\n${ids[0]}\n\n thing:${ids[1]} \nhttps://www.thingiverse.com/thing:${ids[2]}\n${ids[0]}\n`;
    const run = await runCli(['like', '-'], home, input);
    expect(run.code).toBe(0);
    expect(new Set(sbx.sandbox.likedIds('dara_new'))).toEqual(new Set(ids.slice(0, 3)));
    expect(run.stderr).toMatch(/Liking: 3\/3/);
    expect(run.stderr).not.toMatch(/\x1b\[/); // no bar or colour when stderr is a pipe
  });
});

// script(1) gives the CLI a real terminal, the way a person runs it.
const hasScript = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).stdout.trim() !== '';
(hasScript ? describe : describe.skip)('on a terminal', () => {
  it('shows a progress bar with an ETA on stderr', async () => {
    const list = path.join(home.dir, 'ids.txt');
    fs.writeFileSync(list, ids.join('\n'));
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} like - < ${JSON.stringify(list)} > /dev/null`;
    const run = await runCommand('script', ['-qec', command, '/dev/null'], home);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Liking \[[^\]]+\] 6\/6 \| ETA \d+s/);
    expect(new Set(sbx.sandbox.likedIds('dara_new'))).toEqual(new Set(ids));
  });
});

describe('a lost answer', () => {
  it('a like whose answer is cut off is read back (is_liked), reported as liked, and not sent again', async () => {
    sbx.sandbox.addFault({ kind: 'reset', route: 'POST /things/:id/likes', after: true, times: 1 });
    const mark = sbx.sandbox.requests().length;
    const run = await runCli(['like', String(ids[0])], home);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`liked   ${ids[0]}`);
    expect(writes(mark)).toHaveLength(1);
    expect(sbx.sandbox.requests().slice(mark).some((r) => r.method === 'GET' && r.url.startsWith(`/things/${ids[0]}`))).toBe(true);
  });
});

describe('sharing the rate limit with another program on the same token', () => {
  it('a short 429 (someone else spent the budget) is waited out and the write sent once more', async () => {
    sbx.sandbox.addFault({ kind: 'ratelimit', route: 'POST /things/:id/likes', ms: 1000, times: 1 });
    const mark = sbx.sandbox.requests().length;
    const run = await runCli(['like', String(ids[0]), String(ids[1])], home);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Rate limit: waiting 1 s/);
    expect(new Set(sbx.sandbox.likedIds('dara_new'))).toEqual(new Set(ids.slice(0, 2)));
    expect(writes(mark)).toHaveLength(3); // the refused one, its one retry, the second thing
  });
});

describe('hostile stdin: refused by line, nothing sent', () => {
  it('ids that are not ids, other sites, formula cells, binary and non-UTF-8 input: exit 2, the line named', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['an id that is not one', `${ids[0]}\n${ids[1]}\n12abc\n`, /stdin line 3: Not a thing id/],
      ['a URL of another site', `https://www.thingiverse.com.evil.example/thing:${ids[0]}\n`, /stdin line 1: Not a Thingiverse address \(www\.thingiverse\.com\.evil\.example\)/],
      ['a CSV formula cell', `=HYPERLINK("http://x","y")\n`, /stdin line 1: Not a thing id/],
      ['a binary file', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0]), /binary/],
      ['text that is not UTF-8', Buffer.from([0x31, 0x32, 0xff, 0xfe, 0x0a]), /not UTF-8/],
    ];
    const mark = sbx.sandbox.requests().length;
    const runs = await Promise.all(cases.map(([, input]) => runCli(['like', '-'], home, input)));
    runs.forEach((run, i) => {
      const [name, , message] = cases[i]!;
      expect({ name, code: run.code }).toEqual({ name, code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/Nothing was sent|nothing was sent/);
    });
    expect(sbx.sandbox.requests().length).toBe(mark);
  });

  it('a 100 MB stdin is refused after the first megabyte, not read to the end', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, '1234567\n');
    const huge = new Readable({
      read() {
        if (sent >= 100 * 1024 * 1024) return void this.push(null);
        sent += chunk.length;
        this.push(chunk);
      },
    });
    const mark = sbx.sandbox.requests().length;
    const run = await runCli(['like', '-'], home, huge);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/larger than 1024 KB/);
    expect(sent).toBeLessThan(20 * 1024 * 1024);
    expect(sbx.sandbox.requests().length).toBe(mark);
  });
});
