import { describe, expect, it } from 'vitest';
import {
  capPerClass,
  classCounts,
  splitInPlace,
  stratifiedSplit,
  validateDataset,
  type ImageDataset,
} from './dataset';

const toy = (labels: number[], classes = 3): ImageDataset => ({
  images: Uint8Array.from(labels.flatMap((l, i) => [l, i])),
  labels: Int32Array.from(labels),
  shape: [1, 2, 1],
  classNames: Array.from({ length: classes }, (_, k) => `c${k}`),
});

describe('stratifiedSplit', () => {
  const ds = toy([...Array(10).fill(0), ...Array(20).fill(1), ...Array(30).fill(2)]);

  it('keeps class proportions and is seeded', () => {
    const a = stratifiedSplit(ds, { valFraction: 0.2, seed: 1 });
    expect(classCounts(a.val)).toEqual([2, 4, 6]);
    expect(classCounts(a.train)).toEqual([8, 16, 24]);
    const b = stratifiedSplit(ds, { valFraction: 0.2, seed: 1 });
    expect(b.val.images).toEqual(a.val.images);
    const c = stratifiedSplit(ds, { valFraction: 0.2, seed: 2 });
    expect(c.val.images).not.toEqual(a.val.images);
    // Train and val are disjoint and cover everything (image i carries its index).
    const ids = (d: ImageDataset) => [...d.images.filter((_, j) => j % 2 === 1)];
    expect(new Set([...ids(a.train), ...ids(a.val)]).size).toBe(60);
  });

  it('splitInPlace gives the same split as views of one reordered buffer', () => {
    const copy = toy([...Array(10).fill(0), ...Array(20).fill(1), ...Array(30).fill(2)]);
    const buffer = copy.images.buffer;
    const expected = stratifiedSplit(copy, { valFraction: 0.3, seed: 5 });
    const got = splitInPlace(copy, { valFraction: 0.3, seed: 5 });
    expect(got.train).toEqual(expected.train);
    expect(got.val).toEqual(expected.val);
    expect(got.train.images.buffer).toBe(buffer);
    expect(got.val.images.buffer).toBe(buffer);
  });

  it('capPerClass keeps at most n of each class, seeded, in order', () => {
    const capped = capPerClass(ds, 5, 3);
    expect(classCounts(capped)).toEqual([5, 5, 5]);
    expect(capPerClass(ds, 5, 3).images).toEqual(capped.images);
    expect(capPerClass(ds, 5, 4).images).not.toEqual(capped.images);
    const ids = [...capped.images.filter((_, j) => j % 2 === 1)];
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(capPerClass(ds, 100, 3)).toBe(ds);
  });

  it('rejects empty datasets, empty classes and classes too small to split', () => {
    expect(() => validateDataset(toy([]), 'uploads')).toThrow(/uploads is empty \(0 examples\)/);
    expect(() => validateDataset(toy([0, 0, 2]))).toThrow(/class "c1" \(label 1\) has no examples/);
    expect(() => stratifiedSplit(toy([0, 0, 1, 1, 2]), { valFraction: 0.5, seed: 1 })).toThrow(
      /class "c2" has 1 example\(s\); a train\/val split needs at least 2/,
    );
    expect(() => stratifiedSplit(ds, { valFraction: 1, seed: 1 })).toThrow(/valFraction/);
  });
});
