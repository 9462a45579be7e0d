import { describe, expect, it } from 'vitest';
import { AUGMENT_PRESETS, augmentBatch, NO_AUGMENT, type AugmentParams } from './augment';
import { loadDemoDataset } from './data/demo';
import { rngFor, Stream } from './rng';

const { train } = loadDemoDataset('demo:mnist-5-9', { trainPerClass: 2, valPerClass: 1 });
const n = train.labels.length;
const batch = Float32Array.from(train.images, (v) => v / 255);
const shape = train.shape;
const run = (p: AugmentParams, seed = 1, epoch = 0, b = 0) =>
  augmentBatch(batch, n, shape, p, rngFor(seed, Stream.augment, epoch, b));

const single: [keyof AugmentParams, number][] = [
  ['flip', 1],
  ['rotate', 20],
  ['zoom', 0.2],
  ['shift', 0.1],
  ['brightness', 0.3],
  ['contrast', 0.5],
  ['noise', 0.1],
];

describe('augmentBatch', () => {
  it('strength 0 is the identity (and the input is never modified)', () => {
    const copy = Float32Array.from(batch);
    expect(run(NO_AUGMENT)).toEqual(batch);
    run(AUGMENT_PRESETS.heavy);
    expect(batch).toEqual(copy);
  });

  it.each(single)('%s alone changes the batch, stays in [0, 1], and is deterministic', (k, v) => {
    const p = { ...NO_AUGMENT, [k]: v };
    const a = run(p);
    expect(a).not.toEqual(batch);
    expect(a.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(run(p)).toEqual(a);
  });

  it('same (seed, epoch, batch) → identical batch; any other → a different one', () => {
    const p = AUGMENT_PRESETS.heavy;
    const a = run(p, 1, 2, 3);
    expect(run(p, 1, 2, 3)).toEqual(a);
    expect(run(p, 2, 2, 3)).not.toEqual(a);
    expect(run(p, 1, 3, 3)).not.toEqual(a);
    expect(run(p, 1, 2, 4)).not.toEqual(a);
  });

  it('a flip with probability 1 mirrors each image exactly', () => {
    const a = run({ ...NO_AUGMENT, flip: 1 });
    const [h, w] = shape;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) expect(a[y * w + x]).toBeCloseTo(batch[y * w + (w - 1 - x)]!, 6);
    }
  });

  it('on [0, 255] pixels (max 255) it is the [0, 1] result scaled by 255', () => {
    const p = AUGMENT_PRESETS.heavy;
    const rng = () => rngFor(1, Stream.augment, 0, 0);
    const scaled = augmentBatch(
      Float32Array.from(batch, (v) => v * 255),
      n,
      shape,
      p,
      rng(),
      255,
    );
    const unit = augmentBatch(Float32Array.from(batch), n, shape, p, rng());
    expect(scaled.every((v, i) => Math.abs(v / 255 - unit[i]!) < 1e-5)).toBe(true);
    expect(Math.max(...scaled)).toBeGreaterThan(1);
  });

  it('rejects a buffer that does not match the shape', () => {
    expect(() => augmentBatch(new Float32Array(10), 1, shape, NO_AUGMENT, () => 0.5)).toThrow(
      /10 values for 1 images of 784/,
    );
  });
});
