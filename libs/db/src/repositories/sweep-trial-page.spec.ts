import { describe, expect, it } from 'vitest';
import { evenNumbers } from './sweep-trial-page';

describe('evenNumbers', () => {
  it('spreads k numbers over the range, first one 0, all distinct', () => {
    expect(evenNumbers(10_000, 4)).toEqual([0, 2500, 5000, 7500]);
    expect(new Set(evenNumbers(10_000, 500)).size).toBe(500);
  });

  it('gives every number when the range fits, none for an empty one', () => {
    expect(evenNumbers(3, 5)).toEqual([0, 1, 2]);
    expect(evenNumbers(0, 5)).toEqual([]);
  });
});
