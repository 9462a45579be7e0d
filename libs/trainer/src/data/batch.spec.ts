import { describe, expect, it } from 'vitest';
import { AUGMENT_PRESETS } from '../augment';
import { loadTf } from '../backend';
import { rngFor, Stream } from '../rng';
import { batchPixels, batchTensor, indexRange } from './batch';
import type { ImageDataset } from './dataset';

loadTf();
const unit = 1; // batches reach the model as raw [0, 255] pixels
const ds: ImageDataset = {
  images: Uint8Array.from({ length: 4 * 2 * 2 * 3 }, (_, i) => (i * 37) % 256),
  labels: Int32Array.from([0, 1, 0, 1]),
  shape: [2, 2, 3],
  classNames: ['a', 'b'],
};

describe('batches are converted from uint8 one at a time', () => {
  it('gathers the examples in index order, in the model input units', () => {
    const b = batchPixels(ds, [2, 0]);
    expect(b).toBeInstanceOf(Float32Array);
    expect(b.length).toBe(2 * 12);
    for (let j = 0; j < 12; j++) {
      expect(b[j]).toBeCloseTo(ds.images[24 + j]! * unit, 6);
      expect(b[12 + j]).toBeCloseTo(ds.images[j]! * unit, 6);
    }
  });

  it('augmentation changes the batch, stays in range, and leaves the dataset unchanged', () => {
    const before = ds.images.slice();
    const aug = batchPixels(ds, [0, 1, 2, 3], {
      params: AUGMENT_PRESETS.heavy,
      rng: rngFor(1, Stream.augment, 0, 0),
    });
    expect(aug).not.toEqual(batchPixels(ds, [0, 1, 2, 3]));
    expect(aug.every((v) => v >= 0 && v <= 255 * unit + 1e-6)).toBe(true);
    expect(ds.images).toEqual(before);
  });

  it('batchTensor is a float32 [n, h, w, c] tensor of batchPixels', () => {
    const t = batchTensor(ds, indexRange(1, 4));
    expect(t.shape).toEqual([3, 2, 2, 3]);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.dataSync())).toEqual(Array.from(batchPixels(ds, [1, 2, 3])));
    t.dispose();
    expect(indexRange(3, 3)).toEqual([]);
  });
});
