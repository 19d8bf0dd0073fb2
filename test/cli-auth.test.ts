// auth login/status/logout through the real CLI: the token file's place and mode, the
// token never printed, the web login's checks applied, and --help staying light.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, OTHER_CLIENT, loginAs, makeHome, runCli, startCliSandbox, tokenFile, type CliSandbox } from './helpers/cli.js';

let sbx: CliSandbox;
beforeAll(async () => void (sbx = await startCliSandbox()));
afterAll(async () => sbx.close());

const mode = (p: string) => fs.statSync(p).mode & 0o777;

// Records every module the CLI loads: ES modules through module.register hooks (they run on
// their own thread, so they report back through a MessagePort), CommonJS ones from the
// require cache at exit.
const TRACE = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = [];
port1.on('message', (u) => seen.push(u));
port1.unref();
const hooks = 'let port; export function initialize(d) { port = d.port; }' +
  'export async function resolve(s, c, n) { const r = await n(s, c); port.postMessage(r.url); return r; }';
register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
const cjs = createRequire(import.meta.url).cache;
process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify([...seen, ...Object.keys(cjs)]) + '\\n'));
`;

describe('start-up and usage', () => {
  // Top-level --help is answered from the build's help file (main.cts); anything more, such as a
  // subcommand's --help, runs commander and the command table, still without the heavy parts.
  const traced = (args: string[]) => {
    const home = makeHome(sbx);
    const trace = path.join(home.dir, 'trace.mjs');
    fs.writeFileSync(trace, TRACE);
    const run = spawnSync(process.execPath, ['--import', trace, CLI, ...args], { env: home.env, encoding: 'utf8' });
    const loaded = JSON.parse(/LOADED (.*)/.exec(run.stderr)![1]!) as string[];
    return { ...run, loaded };
  };
  const HEAVY = ['/got/', 'better-sqlite3', '/express/', '/src/sandbox/', '/dist/sandbox/', '/thingiverse/client'];

  it('--help loads neither commander nor the command table, and shows examples', () => {
    const run = traced(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.loaded.some((u) => u.endsWith('/dist/cli/top-help.cjs'))).toBe(true); // the trace works
    for (const unwanted of ['/commander/', '/dist/cli/program.js', '/dist/cli/commands.js', ...HEAVY]) {
      expect(run.loaded.filter((u) => u.includes(unwanted))).toEqual([]);
    }
  });

  it('a subcommand\'s --help loads commander but no HTTP client, database, Express or sandbox', () => {
    const run = traced(['likes', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Example:');
    expect(run.loaded.some((u) => u.includes('/commander/'))).toBe(true); // the trace works
    for (const heavy of HEAVY) expect(run.loaded.filter((u) => u.includes(heavy))).toEqual([]);
  });

  it.each(['--help', 'likes --help'])('a reader that stops early (`%s | head -1`) ends it quietly: exit 0, no stack trace', async (args) => {
    const child = spawn(process.execPath, [CLI, ...args.split(' ')], { env: makeHome(sbx).env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close our end, as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|at \w|node:internal/);
    expect(code).toBe(0);
  });

  it('every command\'s --help has an example', async () => {
    const commands = ['auth login', 'auth status', 'auth logout', 'popular', 'newest', 'search', 'thing', 'like', 'unlike', 'likes list', 'likes ids', 'likes import', 'likes export'];
    const runs = await Promise.all(commands.map((cmd) => runCli([...cmd.split(' '), '--help'], makeHome(sbx))));
    runs.forEach((run, i) => {
      expect({ cmd: commands[i], code: run.code }).toEqual({ cmd: commands[i], code: 0 });
      expect(run.stdout).toMatch(/Examples?:\n {2}\$ thingiverse-likes /);
    });
  });

  it('bad usage exits 2 with a message on stderr; not logged in exits 4', async () => {
    const home = makeHome(sbx);
    const unknown = await runCli(['frobnicate'], home);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
    const badLimit = await runCli(['popular', '--limit', 'lots'], home);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toMatch(/whole number/);
    const badUrl = await runCli(['--api-url', 'http://api.example.com', 'popular'], home);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/https/);
    const remote = await runCli(['auth', 'login', '--no-browser'], { ...home, env: { ...home.env, PUBLIC_URL: 'https://likes.example.org' } });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/not a loopback address.*--with-token/);
    const noLogin = await runCli(['popular'], home);
    expect(noLogin.code).toBe(4);
    expect(noLogin.stdout).toBe('');
    expect(noLogin.stderr).toMatch(/Not logged in .*auth login/);
  });
});

describe('auth login --with-token, status, logout', () => {
  it('stores the token 0600 in a 0700 folder under XDG_CONFIG_HOME and never prints it', async () => {
    const home = makeHome(sbx);
    const token = await loginAs(sbx, home, 'ada_maker');
    const file = tokenFile(home);
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(fs.readFileSync(file, 'utf8')).toContain(token);

    const status = await runCli(['auth', 'status', '--debug'], home);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Logged in to ${sbx.url} as ada_maker`);
    expect(status.stdout).toContain(file);
    const json = await runCli(['auth', 'status', '--json'], home);
    expect(JSON.parse(json.stdout)).toEqual({
      host: sbx.url, user: { id: expect.any(Number), name: 'ada_maker', displayName: expect.any(String) }, tokenSource: 'file', tokenFile: file,
    });
    for (const out of [status.stdout, status.stderr, json.stdout, json.stderr]) expect(out).not.toContain(token);
  });

  it('refuses a token of another app (tokeninfo audience), a malformed one and an empty stdin: exit 4/2, nothing stored', async () => {
    const home = makeHome(sbx);
    const foreign = sbx.sandbox.issueToken('ada_maker', OTHER_CLIENT.clientId);
    const run = await runCli(['auth', 'login', '--with-token'], home, foreign);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/different Thingiverse app/);
    expect(run.stderr).not.toContain(foreign);
    const bad = await runCli(['auth', 'login', '--with-token'], home, 'not a token; rm -rf /\n');
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/does not look like a Thingiverse access token/);
    const empty = await runCli(['auth', 'login', '--with-token'], home, '');
    expect(empty.code).toBe(2);
    expect(fs.existsSync(tokenFile(home))).toBe(false);
  });

  it('THINGIVERSE_TOKEN overrides the stored login; a revoked token exits 4', async () => {
    const home = makeHome(sbx);
    await loginAs(sbx, home, 'ada_maker');
    const cleo = sbx.sandbox.issueToken('cleo_collects');
    const env = await runCli(['auth', 'status'], { ...home, env: { ...home.env, THINGIVERSE_TOKEN: cleo } });
    expect(env.code).toBe(0);
    expect(env.stdout).toMatch(/as cleo_collects[\s\S]*THINGIVERSE_TOKEN/);
    expect(env.stdout + env.stderr).not.toContain(cleo);
    sbx.sandbox.revokeToken(cleo);
    const revoked = await runCli(['auth', 'status'], { ...home, env: { ...home.env, THINGIVERSE_TOKEN: cleo } });
    expect(revoked.code).toBe(4);
    expect(revoked.stderr).toMatch(/refused the token/);
  });

  it('logout deletes the stored token and says how to revoke it', async () => {
    const home = makeHome(sbx);
    await loginAs(sbx, home, 'ada_maker');
    const run = await runCli(['auth', 'logout'], home);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Logged out[\s\S]*Settings → Apps/);
    expect(fs.existsSync(tokenFile(home))).toBe(false);
    expect((await runCli(['auth', 'status'], home)).code).toBe(4);
  });
});
