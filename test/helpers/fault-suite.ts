// One fault suite per kind of route (pages, writes, login steps): each is its own test file
// so jest runs them in parallel; this is the setup and table they share.
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import type { Stack } from './stack.js';
import { FAULTS } from './fault-cases.js';
import { ROUTES, type RouteCase } from './fault-routes.js';
import { faultStack, pickThing, runCase } from './fault-run.js';

export function describeFaultsOn(kind: RouteCase['kind'], title: string): void {
  let stack: Stack;
  let thingId: number;
  beforeAll(async () => {
    stack = await faultStack();
    thingId = await pickThing(stack);
  });
  afterAll(() => stack.close());

  const table = ROUTES.filter((r) => r.kind === kind).flatMap((route) => FAULTS.map((fault) => [route.name, fault.name, route, fault] as const));

  describe(title, () => {
    it.each(table)('%s, %s: mapped status, clear answer, one clean log line, still up', async (_r, _f, route, fault) => {
      await runCase(stack, thingId, route, fault);
    });
  });
}
