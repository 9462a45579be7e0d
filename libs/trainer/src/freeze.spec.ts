import type { Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  applyFreeze,
  freezeUnits,
  frozenCountAt,
  isInferenceLocked,
  resolveFreezeCount,
} from './freeze';
import { buildBaseModel, buildHead, buildTransferModel } from './model';
import { layerValues, makeTrainer, maxAbsDiff, smallData, tf } from './test-support/fixtures';

const UNITS = ['base_conv1', 'base_bn1', 'base_conv2', 'base_bn2'];
const BASE_LAYERS = [
  'base_conv1',
  'base_bn1',
  'base_relu1',
  'base_pool1',
  'base_conv2',
  'base_bn2',
  'base_relu2',
  'base_pool2',
  'base_flatten',
];

describe('resolveFreezeCount', () => {
  it('maps strategies, counts and fractions onto base layers', () => {
    expect(resolveFreezeCount('feature-extraction', 9)).toBe(9);
    expect(resolveFreezeCount('partial', 9)).toBe(4);
    expect(resolveFreezeCount('full', 9)).toBe(0);
    expect(resolveFreezeCount(0, 9)).toBe(0);
    expect(resolveFreezeCount(3, 9)).toBe(3);
    expect(resolveFreezeCount(20, 9)).toBe(9);
    expect(resolveFreezeCount(0.5, 9)).toBe(5);
    expect(resolveFreezeCount(0.25, 8)).toBe(2);
    expect(() => resolveFreezeCount(1.5, 9)).toThrow(/neither a layer count/);
  });

  it('gradual unfreezing releases N more layers every K epochs', () => {
    const s = { unfreezeEvery: 2, unfreezeLayers: 3 };
    expect([0, 1, 2, 3, 4, 5, 6].map((e) => frozenCountAt(8, e, s))).toEqual([8, 8, 5, 5, 2, 2, 0]);
    expect(frozenCountAt(8, 5, { unfreezeEvery: 0, unfreezeLayers: 3 })).toBe(8);
  });
});

describe('applyFreeze', () => {
  it('sets trainable by layer name and the trainable-weight counts follow each strategy', () => {
    const tm = buildTransferModel(
      buildBaseModel({ seed: 1 }),
      buildHead({ units: 8, dropout: 0.2, classes: 5 }),
    );
    expect(tm.baseLayers.map((l) => l.name)).toEqual(BASE_LAYERS);
    // freezeDepth counts the layers with weights.
    expect(freezeUnits(tm.baseLayers).map((l) => l.name)).toEqual(UNITS);
    // base: conv1 kernel, bn1 gamma+beta, conv2 kernel, bn2 gamma+beta = 6; head: 2 dense × 2 = 4.
    const counts = Object.fromEntries(
      (['full', 'partial', 'feature-extraction'] as const).map((s) => {
        const r = applyFreeze(tm, resolveFreezeCount(s, UNITS.length), 'train');
        return [s, { trainable: tm.model.trainableWeights.length, frozen: r.frozen }];
      }),
    );
    expect(counts['full']).toEqual({ trainable: 10, frozen: [] });
    expect(counts['partial']).toEqual({ trainable: 7, frozen: UNITS.slice(0, 2) });
    expect(counts['feature-extraction']).toEqual({ trainable: 4, frozen: UNITS });
    // bnMode frozen: every BatchNorm of the base runs in inference mode, trainable or not.
    applyFreeze(tm, 0, 'frozen');
    expect(tm.model.trainableWeights.length).toBe(10);
    expect(isInferenceLocked(tm.model.getLayer('base_bn2'))).toBe(true);
    // Unfreezing in bnMode train restores everything, including BN's training-mode call.
    applyFreeze(tm, 0, 'train');
    expect(tm.model.trainableWeights.length).toBe(10);
    expect(isInferenceLocked(tm.model.getLayer('base_bn1'))).toBe(false);
    tm.model.dispose();
  });

  it('tfjs alone would update a non-trainable BatchNorm in training mode (why we lock it)', () => {
    const bn = tf.layers.batchNormalization({});
    const x = tf.randomNormal([8, 4], 5, 1, 'float32', 1);
    const values = () => bn.weights.map((w) => Float32Array.from(w.read().dataSync()));
    tf.dispose(bn.apply(x, { training: false }) as Tensor); // builds the layer
    const before = values();
    bn.trainable = false;
    tf.dispose(bn.apply(x, { training: true }) as Tensor);
    // moving mean and variance (weights 2 and 3) moved although the layer is frozen
    expect(maxAbsDiff(before.slice(2), values().slice(2))).toBeGreaterThan(0);
    x.dispose();
    bn.dispose();
  });

  it('a frozen BatchNorm normalises with its moving statistics even when training', () => {
    const tm = buildTransferModel(
      buildBaseModel({ seed: 1 }),
      buildHead({ units: 8, dropout: 0, classes: 5 }),
    );
    applyFreeze(tm, 2);
    const bn = tm.model.getLayer('base_bn1');
    const x = tf.randomNormal([4, 28, 28, 8], 3, 2, 'float32', 5);
    const train = bn.apply(x, { training: true }) as Tensor;
    const infer = bn.apply(x, { training: false }) as Tensor;
    expect(tf.max(tf.abs(tf.sub(train, infer))).dataSync()[0]).toBe(0);
    tf.dispose([x, train, infer]);
    tm.model.dispose();
  });
});

describe('training with frozen layers', () => {
  const data = smallData();

  it('leaves frozen conv kernels and BN moving statistics bit-identical; unfrozen ones move', () => {
    const trainer = makeTrainer({
      freezeDepth: 2,
      headLr: 0.01,
      baseLr: 0.01,
      augment: 'light',
      bnMode: 'train',
    });
    const model = trainer.model;
    const before = Object.fromEntries(
      ['base_conv1', 'base_bn1', 'base_conv2', 'base_bn2', 'head_dense'].map((n) => [
        n,
        layerValues(model, n),
      ]),
    );
    trainer.trainEpoch(data.train, 0);
    trainer.trainEpoch(data.train, 1);
    const after = (n: string) => layerValues(model, n);
    // Frozen: every value (kernel; gamma, beta, moving mean, moving variance) is bit-identical.
    for (const n of ['base_conv1', 'base_bn1']) {
      after(n).forEach((arr, i) => expect(arr).toEqual(before[n]![i]));
    }
    // Trainable: kernels, gamma/beta and the BN moving statistics all change.
    expect(maxAbsDiff(after('base_conv2'), before['base_conv2']!)).toBeGreaterThan(0);
    const bn2 = after('base_bn2');
    bn2.forEach((arr, i) =>
      expect(maxAbsDiff([arr], [before['base_bn2']![i]!])).toBeGreaterThan(0),
    );
    expect(maxAbsDiff(after('head_dense'), before['head_dense']!)).toBeGreaterThan(0);
    trainer.dispose();
  });

  it('feature extraction trains only the head', () => {
    const trainer = makeTrainer({ freezeDepth: 'feature-extraction', headLr: 0.01 });
    const before = trainer.tm.baseLayers.map((l) => layerValues(trainer.model, l.name));
    trainer.trainEpoch(data.train, 0);
    trainer.tm.baseLayers.forEach((l, i) =>
      layerValues(trainer.model, l.name).forEach((arr, j) => expect(arr).toEqual(before[i]![j])),
    );
    trainer.dispose();
  });
});

describe('bnMode', () => {
  const data = smallData();
  const stats = (t: ReturnType<typeof makeTrainer>, n: string) => layerValues(t.model, n);

  it('frozen (default): unfrozen BatchNorm keeps its moving statistics, γ/β still learn', () => {
    const t = makeTrainer({ freezeDepth: 'full', headLr: 0.01, baseLr: 0.01 });
    expect(t.bnMode).toBe('frozen');
    const before = ['base_bn1', 'base_bn2'].map((n) => stats(t, n));
    t.trainEpoch(data.train, 0);
    t.trainEpoch(data.train, 1);
    ['base_bn1', 'base_bn2'].forEach((n, i) => {
      const [gamma, beta, mean, variance] = stats(t, n);
      const [gamma0, beta0, mean0, variance0] = before[i]!;
      expect(mean).toEqual(mean0);
      expect(variance).toEqual(variance0);
      expect(maxAbsDiff([gamma!, beta!], [gamma0!, beta0!])).toBeGreaterThan(0);
    });
    t.dispose();
  });

  it('train: unfrozen BatchNorm updates its moving statistics (the old behaviour)', () => {
    const t = makeTrainer({ freezeDepth: 'full', headLr: 0.01, baseLr: 0.01, bnMode: 'train' });
    const before = stats(t, 'base_bn1');
    t.trainEpoch(data.train, 0);
    expect(maxAbsDiff(stats(t, 'base_bn1').slice(2), before.slice(2))).toBeGreaterThan(0);
    t.dispose();
  });
});
