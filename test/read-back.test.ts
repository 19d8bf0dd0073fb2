// judgeReadBack (src/likes/read-back.ts): the one rule the web app's likes service and the
// CLI's writer use to settle a like/unlike whose answer was lost, from the state read back.
import { describe, expect, it } from '@jest/globals';
import { judgeReadBack } from '../src/likes/read-back.js';
import { UpstreamError } from '../src/thingiverse/errors.js';
import type { UpstreamErrorKind } from '../src/thingiverse/types.js';

const lost = (kind: UpstreamErrorKind) => new UpstreamError({ kind, op: 'like', message: 'x', ambiguous: true });

describe('a lost answer, judged from the read-back', () => {
  it.each([true, false])('wanted liked=%p and Thingiverse has it: applied, whatever the failure', (wanted) => {
    for (const kind of ['timeout', 'unavailable', 'bad_response'] as const) expect(judgeReadBack(lost(kind), wanted, wanted)).toBe('applied');
  });

  it('the write is not there after a reset or a 5xx: not applied', () => {
    expect(judgeReadBack(lost('unavailable'), true, false)).toBe('not_applied');
    expect(judgeReadBack(lost('bad_response'), false, true)).toBe('not_applied');
  });

  it('not there after a timeout: unknown, Thingiverse may still apply it after our read', () => {
    expect(judgeReadBack(lost('timeout'), true, false)).toBe('unknown');
  });

  it('the read-back failed too: unknown', () => {
    expect(judgeReadBack(lost('unavailable'), true, undefined)).toBe('unknown');
  });
});
