import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tf } from '../test-support/fixtures';
import { multiTaskLoss, softPenalty } from './loss';

// A fixed batch of two examples: task a (3 classes) labelled on both, task b (2 classes) on the
// first only (the second is missing: −1).
const probsA = [
  [0.7, 0.2, 0.1],
  [0.1, 0.8, 0.1],
];
const probsB = [
  [0.6, 0.4],
  [0.3, 0.7],
];
const La = (-Math.log(0.7) - Math.log(0.8)) / 2;
const Lb = -Math.log(0.4);

const batch = (b = probsB, labelsB = [1, -1]) => [
  { probs: tf.tensor2d(probsA), labels: tf.tensor1d([0, 1], 'int32'), classes: 3 },
  { probs: tf.tensor2d(b), labels: tf.tensor1d(labelsB, 'int32'), classes: 2 },
];

const value = (t: Tensor) => t.dataSync()[0]!;

describe('multi-task loss on a fixed batch', () => {
  it('is Σ wᵢ·Lᵢ with each task averaged over its labelled examples', () => {
    tf.tidy(() => {
      const r = multiTaskLoss(batch(), { fixed: [1, 0.5] });
      expect(value(r.total)).toBeCloseTo(La + 0.5 * Lb, 5);
      expect(r.counts.map(value)).toEqual([2, 1]);
      expect(value(r.sums[0]!)).toBeCloseTo(2 * La, 5);
      expect(r.correct.map(value)).toEqual([2, 0]);
    });
  });

  it('with auto weights is Σ exp(−sᵢ)·Lᵢ + sᵢ, leaving out tasks unlabelled in the batch', () => {
    tf.tidy(() => {
      const logVars = tf.tensor1d([0.5, -0.2]);
      const r = multiTaskLoss(batch(), { logVars });
      expect(value(r.total)).toBeCloseTo(Math.exp(-0.5) * La + 0.5 + Math.exp(0.2) * Lb - 0.2, 5);
      const none = multiTaskLoss(batch(probsB, [-1, -1]), { logVars });
      expect(value(none.total)).toBeCloseTo(Math.exp(-0.5) * La + 0.5, 5);
    });
  });

  it('adds penalty · Σ ‖W_a − W_b‖² over corresponding tower variables', () => {
    tf.tidy(() => {
      const towers = [
        [tf.variable(tf.tensor1d([1, 2])), tf.variable(tf.tensor1d([0]))],
        [tf.variable(tf.tensor1d([0, 0])), tf.variable(tf.tensor1d([3]))],
      ];
      expect(value(softPenalty(towers, 0.1))).toBeCloseTo(0.1 * (1 + 4 + 9), 5);
      const r = multiTaskLoss(batch(), { fixed: [1, 1] }, { penalty: 0.1, towers });
      expect(value(r.total)).toBeCloseTo(La + Lb + 1.4, 5);
      towers.flat().forEach((v) => v.dispose());
    });
  });

  it('a missing label contributes nothing: its prediction changes neither loss nor gradient', () => {
    tf.tidy(() => {
      const lossOf = (rowTwo: number[]) => {
        const pb = tf.tensor2d([probsB[0]!, rowTwo]);
        const f = (p: Tensor) =>
          multiTaskLoss(
            [batch()[0]!, { probs: p, labels: tf.tensor1d([1, -1], 'int32'), classes: 2 }],
            { fixed: [1, 1] },
          ).total as Scalar;
        return { loss: value(f(pb)), grad: Array.from(tf.grad(f)(pb).dataSync()) };
      };
      const a = lossOf([0.3, 0.7]);
      const b = lossOf([0.9, 0.1]);
      expect(b.loss).toBe(a.loss);
      expect(b.grad).toEqual(a.grad);
      expect(a.grad.slice(2).map(Math.abs)).toEqual([0, 0]);
    });
  });
});
