import type { Scalar, Tensor, Tensor1D, Variable } from '@tensorflow/tfjs';
import { tfjs } from '../backend';

/**
 * The multi-task loss of one batch (docs/multitask.md): per task the mean cross-entropy over
 * the examples labelled for it (label ≥ 0; missing labels are masked out), combined as
 * Σ wᵢ·Lᵢ, or with `auto` weighting Σ exp(−sᵢ)·Lᵢ + sᵢ over the tasks labelled in the batch;
 * plus, for soft sharing, penalty · Σ over task pairs Σ ‖W_a − W_b‖² of corresponding tower
 * variables. Call inside tf.tidy / a gradient scope.
 */
export interface TaskBatch {
  /** Softmax output [n, classes]. */
  probs: Tensor;
  /** int32 [n], MISSING_LABEL (−1) where the example has no label for this task. */
  labels: Tensor1D;
  classes: number;
}

export type LossWeights = { fixed: readonly number[] } | { logVars: Tensor1D };

export interface MultiTaskLoss {
  total: Scalar;
  /** Per task: Σ of its cross-entropy over labelled examples, correct predictions, labelled count. */
  sums: Scalar[];
  correct: Scalar[];
  counts: Scalar[];
}

export function multiTaskLoss(
  batch: readonly TaskBatch[],
  weights: LossWeights,
  soft?: { penalty: number; towers: readonly Variable[][] },
): MultiTaskLoss {
  const tf = tfjs();
  const sums: Scalar[] = [];
  const correct: Scalar[] = [];
  const counts: Scalar[] = [];
  const terms: Scalar[] = batch.map((t, i) => {
    const mask = tf.cast(tf.greaterEqual(t.labels, 0), 'float32');
    const ys = tf.oneHot(tf.maximum(t.labels, tf.scalar(0, 'int32')) as Tensor1D, t.classes);
    const ce = tf.metrics.categoricalCrossentropy(ys, t.probs);
    const count = tf.sum(mask) as Scalar;
    const sum = tf.sum(tf.mul(ce, mask)) as Scalar;
    sums.push(sum);
    counts.push(count);
    correct.push(
      tf.sum(tf.mul(tf.cast(tf.equal(tf.argMax(t.probs, 1), t.labels), 'float32'), mask)) as Scalar,
    );
    // The task's mean over its labelled examples; 0 when the batch has none.
    const mean = tf.div(sum, tf.maximum(count, 1)) as Scalar;
    if ('fixed' in weights) return tf.mul(mean, weights.fixed[i]!) as Scalar;
    const s = tf.reshape(tf.slice(weights.logVars, [i], [1]), []) as Scalar;
    const labelled = tf.cast(tf.greater(count, 0), 'float32');
    return tf.mul(tf.add(tf.mul(tf.exp(tf.neg(s)), mean), s), labelled) as Scalar;
  });
  let total = tf.addN(terms) as Scalar;
  if (soft && soft.penalty > 0) total = tf.add(total, softPenalty(soft.towers, soft.penalty));
  return { total, sums, correct, counts };
}

/** penalty · Σ over task pairs Σ over corresponding variables ‖W_a − W_b‖². */
export function softPenalty(towers: readonly Variable[][], penalty: number): Scalar {
  const tf = tfjs();
  const parts: Scalar[] = [];
  for (let a = 0; a < towers.length; a++) {
    for (let b = a + 1; b < towers.length; b++) {
      towers[a]!.forEach((w, k) => {
        parts.push(tf.sum(tf.square(tf.sub(w, towers[b]![k]!))) as Scalar);
      });
    }
  }
  if (parts.length === 0) return tf.scalar(0);
  return tf.mul(tf.addN(parts), penalty) as Scalar;
}
