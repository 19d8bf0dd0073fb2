// Lists and a thing through the real CLI: plain lines, --json shapes, NDJSON with --all,
// hostile refs refused before any request, and --sandbox running its own sandbox child.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { getSeed } from '../src/sandbox/seed.js';
import { loginAs, makeHome, runCli, startCliSandbox, type CliSandbox, type Home } from './helpers/cli.js';

let sbx: CliSandbox;
let home: Home;
beforeAll(async () => {
  sbx = await startCliSandbox();
  home = makeHome(sbx);
  await loginAs(sbx, home, 'ada_maker');
});
afterAll(async () => sbx.close());

/** The browser is started detached, so its file may appear just after the CLI exits. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

const thingKeys = ['creator', 'id', 'like_count', 'name', 'thumbnail', 'url'];

describe('popular', () => {
  it('prints --limit things as lines on stdout, or a JSON array with --json', async () => {
    const plain = await runCli(['popular', '--limit', '3'], home);
    expect(plain.code).toBe(0);
    const lines = plain.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\s*\d+ {2}\S.* by \S+, \d+ likes$/);
    const json = await runCli(['popular', '--limit', '3', '--page', '2', '--json'], home);
    const things = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(things).toHaveLength(3);
    expect(Object.keys(things[0]!).sort()).toEqual(thingKeys);
    expect(plain.stdout).not.toContain(String(things[0]!.id)); // page 2 is another page
  });

  it('--all --json streams NDJSON, one thing a line, every page within the budget', async () => {
    const mark = sbx.sandbox.requests().length;
    const run = await runCli(['popular', '--all', '--json'], home);
    expect(run.code).toBe(0);
    const records = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number });
    expect(records.length).toBe(1600);
    expect(new Set(records.map((r) => r.id)).size).toBe(1600);
    const calls = sbx.sandbox.requests().slice(mark).filter((r) => /^\/(search|popular)/.test(r.url));
    expect(calls.length).toBe(16); // 16 pages of 100: /search says the total, so no empty page is asked for
  });
});

describe('newest and search', () => {
  it('newest lists the newest thing first; search finds things by a word of their name; --featured is passed on', async () => {
    const seed = getSeed().things;
    const newestSeed = [...seed].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)[0]!;
    const newest = JSON.parse((await runCli(['newest', '--limit', '2', '--json'], home)).stdout) as { id: number }[];
    expect(newest[0]!.id).toBe(newestSeed.id);
    const word = seed[0]!.name.split(' ')[0]!;
    const run = await runCli(['search', word, '--sort', 'popular', '--limit', '5', '--json'], home);
    expect(run.code).toBe(0);
    const hits = JSON.parse(run.stdout) as { id: number; like_count: number }[];
    expect(hits.length).toBeGreaterThan(0);
    const matches = (id: number) => {
      const t = seed.find((x) => x.id === id)!;
      return [t.name, ...t.tags].some((text) => text.toLowerCase().includes(word.toLowerCase()));
    };
    expect(hits.filter((h) => !matches(h.id))).toEqual([]);
    expect(hits.map((h) => h.like_count)).toEqual([...hits.map((h) => h.like_count)].sort((a, b) => b - a));
    const mark = sbx.sandbox.requests().length;
    await runCli(['popular', '--featured', '--limit', '1'], home);
    expect(sbx.sandbox.requests().slice(mark).some((r) => /is_featured=1/.test(r.url))).toBe(true);
  });
});

describe('thing', () => {
  it('shows the facts for an id or a Thingiverse URL, --json with the web link', async () => {
    const [first] = JSON.parse((await runCli(['popular', '--limit', '1', '--json'], home)).stdout) as { id: number; name: string }[];
    const byId = await runCli(['thing', String(first!.id)], home);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(new RegExp(`id +${first!.id}[\\s\\S]*likes +\\d+`));
    const byUrl = await runCli(['thing', `https://www.thingiverse.com/thing:${first!.id}/files`, '--json'], home);
    expect(JSON.parse(byUrl.stdout)).toMatchObject({ id: first!.id, is_liked: expect.any(Boolean), web_url: `${sbx.url}/thing:${first!.id}` });
  });

  it('refuses ids that are not ids and URLs of other sites with exit 2, sending nothing', async () => {
    const cases: [string, RegExp][] = [
      ['abc', /Argument 1: Not a thing id or a Thingiverse thing address/],
      ['0', /Not a valid thing id/],
      ['12345678901234567890', /Not a valid thing id/],
      ['https://evil.example/thing:1', /Not a Thingiverse address \(evil\.example\)/],
      ['https://www.thingiverse.com/../../users/me', /not of a thing/],
      ['1;rm -rf /', /Not a thing id/],
    ];
    const mark = sbx.sandbox.requests().length;
    // In parallel: each is its own process, and none of them may reach the sandbox.
    const runs = await Promise.all(cases.map(([ref]) => runCli(['thing', ref], home)));
    runs.forEach((run, i) => {
      expect({ ref: cases[i]![0], code: run.code }).toEqual({ ref: cases[i]![0], code: 2 });
      expect(run.stderr).toMatch(cases[i]![1]);
    });
    expect(sbx.sandbox.requests().length).toBe(mark);
  });

  it('--web opens the thing on the configured site in the browser ($BROWSER, as xdg-open uses it)', async () => {
    const opened = path.join(home.dir, 'opened.txt');
    const browser = path.join(home.dir, 'browser.sh');
    fs.writeFileSync(browser, `#!/bin/sh\necho "$1" >> "${opened}"\n`, { mode: 0o755 });
    const id = getSeed().things[0]!.id;
    const run = await runCli(['thing', String(id), '--web'], { ...home, env: { ...home.env, BROWSER: browser } });
    expect(run.code).toBe(0);
    await until(() => fs.existsSync(opened));
    expect(fs.readFileSync(opened, 'utf8').trim()).toBe(`${sbx.url}/thing:${id}`);
  });

  it('a thing that does not exist exits 1 with the app\'s words', async () => {
    const run = await runCli(['thing', '999999999'], home);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/gone from Thingiverse/);
  });
});

describe('--sandbox', () => {
  it('starts the bundled sandbox as a child, logs in as --user, and stops it', async () => {
    const run = await runCli(['--sandbox', '--user', 'cleo_collects', 'likes', 'ids', '--json'], makeHome(sbx));
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as number[]).length).toBe(1200);
    const unknown = await runCli(['--sandbox', '--user', 'nobody_here', 'likes', 'ids'], makeHome(sbx));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no user named "nobody_here"/);
  });
});
