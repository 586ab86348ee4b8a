import { describe, expect, it } from 'vitest';
import { oncePer } from '../../src/memo.js';

describe('oncePer', () => {
  it('derives once per key object, with the arguments of the first call', () => {
    let calls = 0;
    const sized = oncePer((list: readonly number[], scale: number) => {
      calls++;
      return list.length * scale;
    });
    const a = [1, 2];
    const b = [1, 2, 3];
    expect([sized(a, 10), sized(a, 99), sized(b, 10)]).toEqual([20, 20, 30]);
    expect(calls).toBe(2);
  });
});
