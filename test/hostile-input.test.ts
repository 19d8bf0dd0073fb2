// Hostile input, table-driven over every route (tables in test/hostile/*.ts). Every case must
// get a 4xx with a readable body (no stack trace, no file:line), exactly one clean log line,
// zero upstream calls when the app refuses it, and leave the app up (a follow-up works).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { hostileWorld, type Hostile, type HostileCase } from './helpers/hostile.js';
import { expectCleanLogs, parseLines } from './helpers/logs.js';
import { SANDBOX_CLIENT } from '../src/sandbox/defaults.js';
import { idCases, pageCases } from './hostile/ids.js';
import { tokenCases } from './hostile/tokens.js';
import { pasteCases, callbackCases } from './hostile/login.js';
import { csrfCases } from './hostile/csrf.js';
import { redirectCases, unknownCases, bodyCases, headerCases } from './hostile/misc.js';

const CASES: HostileCase[] = [
  ...idCases, ...pageCases, ...tokenCases, ...pasteCases, ...callbackCases,
  ...csrfCases, ...redirectCases, ...unknownCases, ...bodyCases, ...headerCases,
];

let h: Hostile;
let passed = 0;
beforeAll(async () => {
  h = await hostileWorld();
});
afterAll(async () => {
  console.log(`hostile-input: ${passed} of ${CASES.length} cases passed`);
  await h.stack.close();
});

const STACK_TRACE = /at [^\s]+ \([^)]*:\d+:\d+\)|\.(ts|js):\d+|node_modules|(Syntax|Type|Reference)Error/;

describe('hostile input', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const prepared = c.prepare ? await c.prepare(h) : {};
    const upstream = h.stack.sandbox.requests().length;
    const logMark = h.stack.logs.length;
    const res = await c.send(h, prepared);
    await new Promise((r) => setImmediate(r)); // the log line is written on 'finish'

    const allowed = c.status === undefined ? null : [c.status].flat();
    if (allowed) expect(allowed).toContain(res.status);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    // Readable: our page or our JSON, never a framework dump.
    expect(res.headers['content-type']).toMatch(/^(text\/html|application\/json)/);
    if (/json/.test(res.headers['content-type'])) expect(typeof res.body.message).toBe('string');
    else expect(res.text).toMatch(/<h1>[^<]+<\/h1>/);
    expect(res.text).not.toMatch(STACK_TRACE);
    c.check?.(res);
    if ((c.upstream ?? 'none') === 'none') expect(h.stack.sandbox.requests().slice(upstream)).toEqual([]);

    const lines = parseLines(h.stack.logs.slice(logMark));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: res.status });
    expect(lines[0].path).not.toContain('?');

    // Still up, and user A is still logged in (nothing above may end their session).
    const after = await h.req().get('/').set('Cookie', h.a.cookie);
    expect(after.status).toBe(200);
    expect(after.text).toMatch(/Logged in as/);
    passed += 1;
  });

  it('ran at least 100 cases, and every log line stayed clean', () => {
    expect(passed).toBe(CASES.length);
    expect(passed).toBeGreaterThanOrEqual(100);
    expectCleanLogs(h.stack.logs, [SANDBOX_CLIENT.clientSecret]);
  });
});
