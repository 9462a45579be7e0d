import { describe, expect, it } from 'vitest';
import { downsampleCurve } from './downsample-curve';

describe('downsampleCurve', () => {
  const epochs = Array.from({ length: 100 }, (_, i) => i);
  const values = epochs.map((e) => e / 100);

  it('keeps short curves as they are', () => {
    expect(downsampleCurve([0, 1], [0.5, 0.6], 10)).toEqual({ epochs: [0, 1], values: [0.5, 0.6] });
  });

  it('strides long curves evenly, keeping the first and the last point', () => {
    const d = downsampleCurve(epochs, values, 10);
    expect(d.epochs).toHaveLength(10);
    expect(d.epochs[0]).toBe(0);
    expect(d.epochs.at(-1)).toBe(99);
    expect(d.values.at(-1)).toBe(0.99);
    // Evenly spaced: every gap is 11 epochs (99 / 9).
    expect(new Set(d.epochs.slice(1).map((e, i) => e - d.epochs[i]!))).toEqual(new Set([11]));
  });
});
