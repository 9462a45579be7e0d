import { describe, expect, it } from 'vitest';
import { isBetter, objectiveValues } from './objective';

describe('objective', () => {
  it('respects the goal and never prefers NaN', () => {
    expect(isBetter(0.9, 0.8, 'maximize')).toBe(true);
    expect(isBetter(0.9, 0.8, 'minimize')).toBe(false);
    expect(isBetter(Number.NaN, 0.1, 'maximize')).toBe(false);
    expect(isBetter(0.1, null, 'minimize')).toBe(true);
  });

  it('objectiveValues: the primary value, then the extra objectives; null when one is unusable', () => {
    const extra = [{ name: 'trainable_params' }, { name: 'epoch_seconds' }];
    expect(objectiveValues(0.9, { trainable_params: 100, epoch_seconds: 2 }, extra)).toEqual([
      0.9, 100, 2,
    ]);
    expect(objectiveValues(0.9, { trainable_params: 100 }, extra)).toBeNull();
    expect(objectiveValues(0.9, { trainable_params: NaN, epoch_seconds: 2 }, extra)).toBeNull();
    expect(objectiveValues(NaN, {}, [])).toEqual([NaN]);
  });
});
