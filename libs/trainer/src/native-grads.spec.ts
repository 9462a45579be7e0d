import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { useFusedGradients } from './native-grads';
import { tf } from './test-support/fixtures';

const native = tf.getBackend() === 'tensorflow';

describe.skipIf(!native)('fused ReLU6 and BatchNorm gradients on tfjs-node', () => {
  // Conv → BatchNorm in inference mode (moving statistics) → ReLU6, as in EfficientNet-Lite0.
  const x = tf.randomNormal([2, 6, 6, 3], 0, 2, 'float32', 1);
  const kernel = tf.variable(tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2), true, 'k');
  const scale = tf.variable(tf.randomUniform([4], 0.5, 2, 'float32', 3), true, 'scale');
  const offset = tf.variable(tf.randomNormal([4], 0, 1, 'float32', 4), true, 'offset');
  const mean = tf.randomNormal([4], 0, 1, 'float32', 5);
  const variance = tf.randomUniform([4], 0.5, 2, 'float32', 6);
  const w = tf.randomNormal([2, 6, 6, 4], 0, 1, 'float32', 7);
  const vars: Variable[] = [kernel, scale, offset];
  // bnMode frozen normalises with the moving statistics; train with the batch's own, through
  // which the gradient flows too (tfjs's own derivatives for mean and variance stay in use).
  const step = (batchStats = false) =>
    tf.variableGrads(() => {
      const conv = tf.conv2d(x as never, kernel as never, 1, 'same');
      const stats = batchStats ? tf.moments(conv, [0, 1, 2]) : { mean, variance };
      const bn = tf.batchNorm(conv, stats.mean, stats.variance, offset, scale, 1e-3);
      // Both ReLU forms: the op (one kernel) and the Layers API's min(6, relu(x)).
      return tf.sum(tf.mul(tf.add(tf.relu6(bn), tf.minimum(6, tf.relu(bn))), w)) as Scalar;
    }, vars);
  const restore = useFusedGradients(tf);
  afterAll(restore);

  const compare = async (batchStats: boolean) => {
    const fused = step(batchStats);
    const kernels = async () =>
      (await tf.profile(() => void tf.dispose(step(batchStats).grads))).kernels.length;
    const fusedKernels = await kernels();
    restore();
    const own = step(batchStats);
    const ownKernels = await kernels();
    useFusedGradients(tf);
    expect(fused.value.dataSync()[0]).toBeCloseTo(own.value.dataSync()[0]!, 4);
    for (const v of vars) {
      const [a, b] = [fused.grads[v.name]!, own.grads[v.name]!];
      const scaleOf = tf.max(tf.abs(b)).dataSync()[0]!;
      const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
      expect(diff, v.name).toBeLessThanOrEqual(1e-5 * Math.max(1, scaleOf));
    }
    expect(fusedKernels).toBeLessThan(ownKernels - 10);
  };

  it('gives tfjs’s own gradients (conv kernel, γ, β) in fewer kernels', () => compare(false));
  it('also with batch statistics (bnMode train)', () => compare(true));

  it('passes no gradient where ReLU6 clips (below 0, at and above 6)', () => {
    const at = tf.tensor1d([-1, 0, 3, 6, 7]);
    const g = tf.grad((t: Tensor) => tf.sum(tf.relu6(t)))(at);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 1, 0, 0]);
    // The Layers API's 'relu6' activation is min(6, relu(x)): ReLU's fused gradient, then Minimum's.
    const layer = tf.layers.activation({ activation: 'relu6' });
    const viaLayer = tf.grad((t: Tensor) => tf.sum(layer.apply(t) as Tensor))(at);
    expect(Array.from(viaLayer.dataSync())).toEqual([0, 0, 1, 0, 0]);
  });

  it('also serves BatchNorm over 2-D inputs (a dense head’s)', () => {
    const x2 = tf.randomNormal([4, 3], 0, 1, 'float32', 8);
    const g = tf.grad((t: Tensor) =>
      tf.sum(tf.batchNorm(t, tf.zeros([3]), tf.ones([3]), tf.zeros([3]), tf.fill([3], 2), 0)),
    )(x2);
    // dy/dx = scale / sqrt(variance + ε) = 2.
    expect(Array.from(g.dataSync())).toEqual(Array(12).fill(2));
  });
});
