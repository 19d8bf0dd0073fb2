// Starts the real pieces for a test: the sandbox on 127.0.0.1 and the app on localhost,
// each on port 0, talking real HTTP, with a temporary SQLite file and captured logs.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { logInWithToken } from './login.js';
import type { ServiceOverrides, Services } from '../../src/services.js';
import { createLogger } from '../../src/logger.js';
import type { Db } from '../../src/store/db.js';
import type { SqliteSessionStore } from '../../src/store/session-store.js';
import { createSandbox, listen, type Listening } from '../../src/sandbox/index.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/defaults.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/types.js';

export const SECRET = 'test-session-secret-0123456789abcdef0123456789';

export interface StackOptions {
  flow?: 'implicit' | 'code';
  sandbox?: SandboxOptions;
  env?: Record<string, string>;
  config?: Partial<Config>;
  /** Last word on the config, after the stack knows its ports. */
  configure?: (config: Config) => Config;
  timeoutMs?: number;
  retryLimit?: number;
  /** Reuse a data folder (restart tests). */
  dataDir?: string;
  /** Reuse a running sandbox (restart tests). */
  existingSandbox?: { sandbox: Sandbox; url: string; port: number };
  now?: () => number;
  /** Parts of the services to replace (a stub client, a small rate budget, bulk options). */
  overrides?: ServiceOverrides;
}

export interface Stack {
  url: string;
  config: Config;
  sandbox: Sandbox;
  sandboxUrl: string;
  logs: string[];
  dataDir: string;
  agent(): ReturnType<typeof supertest.agent>;
  /** Log a fresh agent in through the implicit flow's real endpoints. */
  loginAs(username: string, agent?: ReturnType<typeof supertest.agent>): Promise<ReturnType<typeof supertest.agent>>;
  /** Log in without an agent; returns the session cookie ("tvl.sid=..."). */
  loginCookie(username: string): Promise<string>;
  /**
   * Between tests of one file (beforeEach): the sandbox back to its seed, as its control API's
   * reset does (likes, tokens, faults, latency, budget, request log), and the app's memory of the
   * old world with it (Services.forgetUpstream). Sessions stay, but their tokens are gone
   * upstream: log in again in each test. A test's own fake clock is the test's to reset.
   */
  reset(): Promise<void>;
  /** Stop the app (and the sandbox unless it was passed in). */
  close(): Promise<void>;
  /** Stop only the app server and its store, keeping the sandbox (restart tests). */
  closeApp(): Promise<void>;
  /** Stop the sandbox listening (the app gets connection refused); its state is kept. */
  stopSandbox(): Promise<void>;
  /** Listen again on the same port, after stopSandbox. */
  startSandbox(): Promise<void>;
  db: Db;
  sessionStore: SqliteSessionStore;
  services: Services;
}

function listenOn(server: http.Server, port = 0, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => server.listen(port, host, () => resolve((server.address() as AddressInfo).port)));
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const server = http.createServer();
  const port = await listenOn(server);
  const url = `http://localhost:${port}`;
  // `listening` is replaced when a test stops and restarts the sandbox (same port, same state).
  let listening: Listening | undefined;
  const sbx =
    opts.existingSandbox ??
    (await (async () => {
      const sandbox = createSandbox({
        clients: [{ ...SANDBOX_CLIENT, redirectUris: [`${url}/callback`] }],
        ...opts.sandbox,
      });
      listening = await listen(sandbox, { port: 0, host: '127.0.0.1' });
      return { sandbox, url: listening.url, port: listening.port, close: () => listening!.close() };
    })());
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tvl-test-'));
  const base = loadConfig({ PORT: String(port), SANDBOX_PORT: String(sbx.port), DATA_DIR: dataDir, ...opts.env });
  const merged: Config = {
    ...base,
    ...(opts.flow === 'code'
      ? { flow: 'code' as const, thingiverse: { ...base.thingiverse, clientSecret: SANDBOX_CLIENT.clientSecret } }
      : {}),
    ...opts.config,
  };
  const config = opts.configure ? opts.configure(merged) : merged;
  const logs: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  // The same entry as npm start, on the port reserved above (the config needed it first).
  const serving = await startServer(config, {
    logger,
    listening: server,
    graceMs: 1000,
    overrides: { sessionSecrets: [SECRET], now: opts.now, timeoutMs: opts.timeoutMs ?? 2000, retryLimit: opts.retryLimit ?? 0, ...opts.overrides },
  });
  const { db, sessionStore } = serving.services;

  const closeApp = async () => {
    server.closeAllConnections();
    await serving.stop('test done');
  };
  const stack: Stack = {
    url,
    config,
    sandbox: sbx.sandbox,
    sandboxUrl: sbx.url,
    logs,
    dataDir,
    db,
    sessionStore,
    services: serving.services,
    agent: () => supertest.agent(url),
    async loginAs(username, agent = supertest.agent(url)) {
      const cookie = await logInWithToken(url, sbx.sandbox.issueToken(username));
      // Into the agent's cookie jar, so later Set-Cookie answers (logout) update it as a browser would.
      (agent as unknown as { jar: { setCookie(c: string, domain: string, path: string): void } }).jar.setCookie(cookie, 'localhost', '/');
      return agent;
    },
    loginCookie: (username) => logInWithToken(url, sbx.sandbox.issueToken(username)),
    closeApp,
    async reset() {
      // The app first: it waits for its jobs and refreshes, which still talk to the old world.
      await serving.services.forgetUpstream();
      // What POST /__sandbox/reset does, without its HTTP round trip (~5 ms, before every test).
      sbx.sandbox.reset();
    },
    async stopSandbox() {
      if (!listening) throw new Error('stopSandbox needs a sandbox started by this stack');
      await listening.close();
    },
    async startSandbox() {
      listening = await listen(sbx.sandbox, { port: sbx.port, host: '127.0.0.1' });
    },
    async close() {
      await closeApp();
      if (!opts.existingSandbox && 'close' in sbx) await (sbx as { close(): Promise<void> }).close();
    },
  };
  return stack;
}

/** "tvl.sid=..." from a Set-Cookie header list. */
export function sessionCookie(setCookie: unknown): string {
  const list = Array.isArray(setCookie) ? (setCookie as string[]) : [];
  const found = list.find((c) => c.startsWith('tvl.sid='));
  if (!found) throw new Error('no session cookie was set');
  return found.split(';')[0];
}

/** The Location header of the authorize redirect, parsed. */
export function authorizeParams(location: string): URLSearchParams {
  return new URL(location).searchParams;
}

/**
 * Play the user on the sandbox's consent page: GET the authorize URL (must show the page),
 * then submit its form as Authorize or Deny. Returns where the sandbox redirects.
 */
export async function consent(authorizeLocation: string, user: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const url = new URL(authorizeLocation);
  const page = await supertest(url.origin).get(url.pathname + url.search);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const form: Record<string, string> = { user, decision };
  for (const [k, v] of url.searchParams) form[k] = v;
  const res = await supertest(url.origin).post('/login/oauth/authorize').type('form').send(form);
  if (res.status !== 302) throw new Error(`consent answered ${res.status}`);
  return res.headers.location as string;
}

/** The hidden CSRF field of the first form on a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1];
}

/** The upstream calls the sandbox saw after a given index into its request log. */
export function callsSince(sandbox: Sandbox, mark: number) {
  return sandbox.requests().slice(mark);
}
