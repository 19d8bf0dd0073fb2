// Upstream faults × the login steps (tokeninfo, users/me, code exchange), over real HTTP.
// The table and the checks live in helpers/fault-*.ts; see the "Faults" section.
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import type { Stack } from './helpers/stack.js';
import { FAULTS } from './helpers/fault-cases.js';
import { ROUTES } from './helpers/fault-routes.js';
import { faultStack, pickThing, runCase } from './helpers/fault-run.js';

let stack: Stack;
let thingId: number;
beforeAll(async () => {
  stack = await faultStack();
  thingId = await pickThing(stack);
});
afterAll(() => stack.close());

const table = ROUTES.filter((r) => r.kind === 'login').flatMap((route) => FAULTS.map((fault) => [route.name, fault.name, route, fault] as const));

describe('upstream faults during login', () => {
  it.each(table)('%s, %s: mapped status, clear answer, one clean log line, still up', async (_r, _f, route, fault) => {
    await runCase(stack, thingId, route, fault);
  });
});
