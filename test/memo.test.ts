// memoByString: what it keeps and what it never keeps (src/memo.ts).
import { describe, expect, it } from '@jest/globals';
import { memoByString } from '../src/memo.js';

const counted = () => {
  const calls: string[] = [];
  return { calls, fn: (s: string) => (calls.push(s), s.toUpperCase()) };
};

describe('memoByString', () => {
  it('answers a repeated string from memory, with the same value', () => {
    const c = counted();
    const m = memoByString(c.fn);
    expect([m('a'), m('b'), m('a'), m('a')]).toEqual(['A', 'B', 'A', 'A']);
    expect(c.calls).toEqual(['a', 'b']);
  });

  it('remembers null answers too (a refused URL is refused again without a parse)', () => {
    let calls = 0;
    const m = memoByString((_s: string) => (calls++, null));
    m('javascript:alert(1)');
    m('javascript:alert(1)');
    expect(calls).toBe(1);
  });

  it('never keeps strings longer than maxLength', () => {
    const c = counted();
    const m = memoByString(c.fn, 10, 4);
    m('abcde');
    m('abcde');
    expect(c.calls).toEqual(['abcde', 'abcde']);
  });

  it('holds at most maxEntries: a full memory starts again', () => {
    const c = counted();
    const m = memoByString(c.fn, 2);
    for (const s of ['a', 'b', 'c', 'a']) m(s);
    // 'c' arrived with two kept: the memory was emptied, so 'a' is judged again.
    expect(c.calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
