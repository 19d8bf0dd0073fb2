// Reading the app's captured pino lines (stack.logs): every line is JSON, failures are
// warn (40) or error (50), and no line may carry a secret, a Bearer header or a stack.
import { expect } from '@jest/globals';

export interface LogLine {
  level: number;
  msg: string;
  method?: string;
  path?: string;
  status?: number;
  err?: { name?: string; kind?: string; operation?: string; cause?: { kind?: string; operation?: string } } & Record<string, unknown>;
  [key: string]: unknown;
}

export function parseLines(lines: readonly string[]): LogLine[] {
  return lines.map((l) => JSON.parse(l) as LogLine);
}

/** Warn and error lines written since `from` (an index into stack.logs). */
export function failureLines(logs: readonly string[], from = 0): LogLine[] {
  return parseLines(logs.slice(from)).filter((l) => l.level >= 40);
}

// "    at fn (file.ts:12:3)" frames, or a serialised stack property with content.
const STACK = /\n\s+at |\bat [^\s]+ \([^)]*:\d+:\d+\)|"stack":"[^"]/;

/** Every captured line is clean: no secret value, no "Bearer", no stack frames. */
export function expectCleanLogs(logs: readonly string[], secrets: readonly string[] = []): void {
  for (const line of logs) {
    expect(line).not.toMatch(/bearer/i);
    expect(line).not.toMatch(STACK);
    for (const s of secrets) expect(line.includes(s)).toBe(false);
  }
}

/** Exactly one failure line for this request, with the fields a reader needs and nothing else. */
export function expectOneFailureLine(logs: readonly string[], from: number, want: { method: string; path: string; status: number; kind?: string }): LogLine {
  // One line for the whole request: the failure line is also its access line.
  expect(parseLines(logs.slice(from))).toHaveLength(1);
  const lines = failureLines(logs, from);
  expect(lines).toHaveLength(1);
  const [line] = lines;
  expect(line).toMatchObject({ method: want.method, path: want.path, status: want.status });
  expect(line.path).not.toContain('?');
  if (want.kind) expect(line.err?.kind ?? line.err?.cause?.kind).toBe(want.kind);
  return line;
}
