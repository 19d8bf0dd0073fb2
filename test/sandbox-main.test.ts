// `npm run sandbox` (src/sandbox/main.ts) as the separate program the app will spawn: its settings,
// the lines it prints (human, .env, and one machine-readable SANDBOX_READY line), port 0, the
// redirect URIs it registers, a clean exit on SIGTERM/SIGINT, and exit 2 with a plain message for bad input.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseMainConfig } from '../src/sandbox/main-config.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { freePort } from './helpers/child.js';

const ROOT = path.join(import.meta.dirname, '..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

describe('parseMainConfig', () => {
  it('defaults to port 3001 and the app\'s own callback', () => {
    expect(parseMainConfig({}, [])).toEqual({ port: 3001, redirectUris: ['http://localhost:3000/callback'], watchParent: false });
  });

  it('takes SANDBOX_PORT, and --port N / --port=N over it; 0 means any free port', () => {
    expect(parseMainConfig({ SANDBOX_PORT: '4100' }, [])).toMatchObject({ port: 4100 });
    expect(parseMainConfig({ SANDBOX_PORT: '4100' }, ['--port', '0'])).toMatchObject({ port: 0 });
    expect(parseMainConfig({}, ['--port=4200'])).toMatchObject({ port: 4200 });
  });

  it('splits SANDBOX_REDIRECT_URI on commas and trims each', () => {
    expect(parseMainConfig({ SANDBOX_REDIRECT_URI: ' http://localhost:4000/cb ,https://app.example/callback,' }, []))
      .toMatchObject({ redirectUris: ['http://localhost:4000/cb', 'https://app.example/callback'] });
  });

  it('reports every problem at once, in words', () => {
    const bad = parseMainConfig({ SANDBOX_PORT: 'abc', SANDBOX_REDIRECT_URI: 'localhost:3000/cb,javascript:alert(1),http://x/#frag' }, ['--verbose', '--port', '70000']);
    expect('problems' in bad && bad.problems).toEqual([
      'SANDBOX_PORT must be a port number (0-65535; 0 = any free port), got "abc"',
      'unknown argument "--verbose" (usage: npm run sandbox -- [--port N])',
      '--port must be a port number (0-65535; 0 = any free port), got "70000"',
      'SANDBOX_REDIRECT_URI: "localhost:3000/cb" is not an absolute http(s) URL without a #fragment',
      'SANDBOX_REDIRECT_URI: "javascript:alert(1)" is not an absolute http(s) URL without a #fragment',
      'SANDBOX_REDIRECT_URI: "http://x/#frag" is not an absolute http(s) URL without a #fragment',
    ]);
  });
});

/** Runs main.ts; resolves with its output once it printed SANDBOX_READY (or exited). */
function run(args: string[], env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', TSX, 'src/sandbox/main.ts', ...args], {
    cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^SANDBOX_READY .*\n/m.test(out)) resolve();
    });
    void exited.then(() => resolve());
  });
  return { proc, ready, exited, out: () => out, err: () => err };
}

describe('npm run sandbox, as a child process', () => {
  it('on port 0 prints the real port, the .env lines and SANDBOX_READY; registers the redirect URIs; exits 0 on SIGTERM', async () => {
    const child = run(['--port', '0'], { SANDBOX_REDIRECT_URI: 'http://localhost:4000/cb,http://127.0.0.1:5000/callback' });
    await child.ready;
    const lines = child.out().split('\n');
    const ready = lines.find((l) => l.startsWith('SANDBOX_READY '))!;
    const { url, port } = JSON.parse(ready.slice('SANDBOX_READY '.length)) as { url: string; port: number };
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(lines).toEqual(expect.arrayContaining([
      `THINGIVERSE_API_URL=${url}`, `THINGIVERSE_SITE_URL=${url}`,
      `THINGIVERSE_CLIENT_ID=${SANDBOX_CLIENT.clientId}`, `THINGIVERSE_CLIENT_SECRET=${SANDBOX_CLIENT.clientSecret}`,
    ]));
    expect(lines[0]).toMatch(new RegExp(`^Thingiverse sandbox at ${url} `));

    const authorize = (redirect: string) =>
      fetch(`${url}/login/oauth/authorize?client_id=${SANDBOX_CLIENT.clientId}&response_type=token&redirect_uri=${encodeURIComponent(redirect)}`);
    expect((await authorize('http://localhost:4000/cb')).status).toBe(200);
    expect((await authorize('http://127.0.0.1:5000/callback')).status).toBe(200);
    expect((await authorize('http://localhost:3000/callback')).status).toBe(400);
    expect((await fetch(`${url}/popular?per_page=1`, { headers: { Authorization: `Bearer ${SANDBOX_CLIENT.appToken}` } })).status).toBe(200);

    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.err()).toBe('');
    await expect(fetch(`${url}/popular`)).rejects.toThrow();
  });

  it('takes SANDBOX_PORT and exits 0 on SIGINT', async () => {
    const port = await freePort();
    const child = run([], { SANDBOX_PORT: String(port) });
    await child.ready;
    expect(child.out()).toContain(`SANDBOX_READY {"url":"http://127.0.0.1:${port}","port":${port}}`);
    expect(child.out()).toContain('# Redirect URIs registered: http://localhost:3000/callback');
    child.proc.kill('SIGINT');
    expect(await child.exited).toBe(0);
  });

  it('with SANDBOX_WATCH_PARENT=1 stops (exit 0) when its stdin ends, as when the app that started it dies', async () => {
    expect(parseMainConfig({ SANDBOX_WATCH_PARENT: '1' }, [])).toMatchObject({ watchParent: true });
    const child = run(['--port', '0'], { SANDBOX_WATCH_PARENT: '1' });
    await child.ready;
    expect(child.out()).toContain('SANDBOX_READY ');
    child.proc.stdin.end();
    expect(await child.exited).toBe(0);
  });

  it('refuses bad settings with exit 2 and one readable line each, no stack trace', async () => {
    const child = run(['--port', 'x'], { SANDBOX_REDIRECT_URI: 'not a url' });
    expect(await child.exited).toBe(2);
    expect(child.out()).toBe('');
    expect(child.err().trim().split('\n')).toEqual([
      'npm run sandbox: --port must be a port number (0-65535; 0 = any free port), got "x"',
      'npm run sandbox: SANDBOX_REDIRECT_URI: "not a url" is not an absolute http(s) URL without a #fragment',
    ]);
  });
});
