import type { LayersModel } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tf } from '../test-support/fixtures';
import { buildEfficientNetLite, type EfficientNetLiteSpec } from './efficientnet-lite';
import { untrainedBase } from '../run';
import { SCRATCH_BN_MOMENTUM, untrainedCopy } from './untrained';

const TINY: EfficientNetLiteSpec = {
  stemFilters: 4,
  stages: [{ repeats: 1, kernel: 3, stride: 2, expand: 2, filters: 8 }],
  topFilters: 16,
};

/** A "trained" tiny network: every weight shifted so that no initialiser could produce it. */
function trained() {
  const model = buildEfficientNetLite({ inputSize: [32, 32], spec: TINY, seed: 7 });
  model.setWeights(model.getWeights().map((w) => tf.add(w, 0.5)));
  return model;
}

const values = (m: LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('untrainedCopy', () => {
  it('keeps the topology, re-initialises every weight (BN back to identity), seeded', async () => {
    const source = trained();
    const names = source.layers.map((l) => l.name);
    const shapes = source.getWeights().map((w) => w.shape);
    expect(source.getLayer('stem_bn').getConfig()['momentum']).toBe(0.99);
    const a = await untrainedCopy(source, 1);
    expect(a.layers.map((l) => l.name)).toEqual(names);
    expect(a.getWeights().map((w) => w.shape)).toEqual(shapes);
    const stem = a.getLayer('stem_bn').getWeights(); // gamma, beta, moving mean, moving variance
    expect(stem.map((w) => Array.from(w.dataSync())[0])).toEqual([1, 0, 0, 1]);
    // Momentum for few steps: the pretrained 0.99 left validation at chance (docs/benchmarks.md).
    expect(a.getLayer('stem_bn').getConfig()['momentum']).toBe(SCRATCH_BN_MOMENTUM);
    const b = await untrainedCopy(trained(), 1);
    const c = await untrainedCopy(trained(), 2);
    expect(values(b)).toEqual(values(a));
    expect(values(c)[0]).not.toEqual(values(a)[0]);
    [a, b, c].forEach((m) => m.dispose());
  });
});

describe('untrainedBase', () => {
  it('is true for random-weight bases, whose BatchNorm then trains by default', () => {
    expect(untrainedBase('scratch:efficientnet-lite0@32')).toBe(true);
    expect(untrainedBase('demo:scratch')).toBe(true);
    expect(untrainedBase('imagenet:efficientnet-lite0@32')).toBe(false);
    expect(untrainedBase('/models/x/model.json')).toBe(false);
  });
});
