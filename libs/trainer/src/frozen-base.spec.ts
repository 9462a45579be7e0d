import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { batchPixels, batchTensor, indexRange } from './data/batch';
import { FrozenBaseForward } from './frozen-base';
import { makeTrainer, smallData, tf } from './test-support/fixtures';

describe('FrozenBaseForward (feature extraction outside the gradient tape)', () => {
  const { train } = smallData();
  const trainer = makeTrainer({ freezeDepth: 'feature-extraction', dropout: 0 });
  const fast = FrozenBaseForward.for(trainer.tm)!;
  const batchPixelsOf = (from: number, to: number) => batchPixels(train, indexRange(from, to));
  const headVars = () => trainer.model.trainableWeights.map((w) => w.read() as never);
  const loss = (probs: Tensor, labels: Int32Array) =>
    tf.mean(
      tf.metrics.categoricalCrossentropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 5), probs),
    ) as Scalar;

  it('gives the same outputs and gradients as the whole model in training mode', () => {
    const labels = train.labels.subarray(0, 16);
    const xs = batchTensor(train, indexRange(0, 16));
    const slow = tf.variableGrads(
      () => loss(trainer.model.apply(xs, { training: true }) as Tensor, labels),
      headVars(),
    );
    const features = fast.baseOutput(xs);
    const quick = tf.variableGrads(() => loss(fast.head(features), labels), headVars());
    expect(quick.value.dataSync()[0]).toBeCloseTo(slow.value.dataSync()[0]!, 5);
    expect(Object.keys(quick.grads).sort()).toEqual(Object.keys(slow.grads).sort());
    for (const [name, g] of Object.entries(slow.grads)) {
      const diff = tf.max(tf.abs(tf.sub(g, quick.grads[name]!))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-5);
    }
  });

  it('is what the trainer runs for feature extraction, and only then', () => {
    const labels = train.labels.subarray(0, 16);
    const images = batchPixelsOf(0, 16);
    const used = vi.spyOn(FrozenBaseForward.prototype, 'baseOutput');
    const step = (t: typeof trainer) => {
      const r = t.trainStep(images, labels, train.shape, 1);
      tf.dispose([r.lossSum, r.correct]);
    };
    step(trainer);
    expect(used).toHaveBeenCalledTimes(1);
    step(makeTrainer({ freezeDepth: 'full' }));
    expect(used).toHaveBeenCalledTimes(1);
    used.mockRestore();
  });

  it('declines models whose head is not one chain from the base output', () => {
    expect(FrozenBaseForward.for({ ...trainer.tm, headLayers: [] })).toBeUndefined();
    const [first, ...rest] = trainer.tm.headLayers;
    expect(FrozenBaseForward.for({ ...trainer.tm, headLayers: [...rest, first!] })).toBeUndefined();
  });
});
