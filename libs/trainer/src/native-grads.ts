/**
 * Fused gradients for tfjs-node (#18). tfjs-core writes the gradients of ReLU, ReLU6 and of
 * BatchNorm in inference mode (bnMode frozen, the default for pretrained bases) as chains of
 * elementwise ops: ReLU's mask (`step`) alone is IsNan, Greater, two Fills and two Selects, then
 * Cast and Mul, over the whole activation (the Layers API's `relu6` activation is
 * min(6, relu(x)), so it pays this too); BatchNorm's gradient tiles the inverse deviation to the
 * input's size and multiplies and subtracts full tensors about eight times. On tfjs-node each is
 * a separate TensorFlow kernel called from JavaScript, mostly on one thread, each a pass over
 * memory and a fresh full-size allocation. TensorFlow has one kernel for each (`ReluGrad`,
 * `Relu6Grad`; `FusedBatchNormGrad` with is_training=false), which this registers as the
 * gradients on the native backend: an EfficientNet-Lite0 step at 128² runs 2,796 instead of
 * 3,833 kernels and about twice as fast (docs/benchmarks.md "Trainer speed"). Same values up to
 * float rounding (native-grads.spec.ts), except ReLU6's gradient at exactly 6: 0, as in
 * TensorFlow and PyTorch, where tfjs passes it through.
 */
import type { GradConfig, Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend';

const RELU_GRAD = 'RetuneReluGrad';
const RELU6_GRAD = 'RetuneRelu6Grad';
const BN_GRAD = 'RetuneFusedBatchNormGradInference';

/** What the kernels need of tfjs-node's backend (its public methods). */
interface NodeBackend {
  binding: Record<string, number>;
  executeSingleOutput(name: string, attrs: unknown[], inputs: Tensor[]): Tensor;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: Tensor[], n: number): Tensor[];
}

const floatAttr = (b: NodeBackend, name: string) => ({
  name,
  type: b.binding['TF_ATTR_TYPE'],
  value: b.binding['TF_FLOAT'],
});

function registerKernels(tf: Tf): void {
  if (tf.getKernel(RELU6_GRAD, 'tensorflow')) return;
  for (const [kernelName, op] of [
    [RELU_GRAD, 'ReluGrad'],
    [RELU6_GRAD, 'Relu6Grad'],
  ]) {
    tf.registerKernel({
      kernelName: kernelName!,
      backendName: 'tensorflow',
      kernelFunc: ({ inputs, backend }) => {
        const b = backend as unknown as NodeBackend;
        const { dy, x } = inputs as { dy: Tensor; x: Tensor };
        return b.executeSingleOutput(op!, [floatAttr(b, 'T')], [dy, x]);
      },
    });
  }
  tf.registerKernel({
    kernelName: BN_GRAD,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as NodeBackend;
      const { dy, x, scale, mean, variance } = inputs as Record<string, Tensor>;
      const opAttrs = [
        floatAttr(b, 'T'),
        { name: 'epsilon', type: b.binding['TF_ATTR_FLOAT'], value: attrs!['varianceEpsilon'] },
        { name: 'data_format', type: b.binding['TF_ATTR_STRING'], value: 'NHWC' },
        { name: 'is_training', type: b.binding['TF_ATTR_BOOL'], value: false },
      ];
      const [dx, dScale, dOffset, r3, r4] = b.executeMultipleOutputs(
        'FusedBatchNormGrad',
        opAttrs,
        [dy!, x!, scale!, mean!, variance!],
        5,
      );
      tf.dispose([r3!, r4!]);
      return [dx!, dScale!, dOffset!];
    },
  });
}

/** ReLU's or ReLU6's gradient as one kernel (float32; tfjs's own for other types). */
function reluGrad(tf: Tf, original: GradConfig, kernel: string): GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as Tensor[];
      if (x!.dtype !== 'float32') return original.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel<Tensor>(kernel, { dy: dy as Tensor, x: x! }) };
    },
  };
}

/** BatchNorm's gradient through one fused kernel where TensorFlow has one (4-D, per channel). */
function batchNormGrad(tf: Tf, original: GradConfig): GradConfig {
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as (Tensor | undefined)[];
      const fits = x!.rank === 4 && mean!.rank === 1 && scale?.rank === 1 && x!.dtype === 'float32';
      if (!fits) return original.gradFunc(dy, saved, attrs);
      // Run here, not in the per-input derivative functions: the tape runs each of those in its
      // own tidy, which would dispose the outputs the others need.
      const [dx, dScale, dOffset] = tf
        .engine()
        .runKernel<Tensor[]>(
          BN_GRAD,
          { dy: dy as Tensor, x: x!, scale: scale!, mean: mean!, variance: variance! },
          attrs,
        );
      // tfjs's own derivatives for mean and variance, asked for only when they are the batch's
      // (bnMode train: tf.moments of x); the moving statistics of bnMode frozen never train.
      const originalOf = (k: string) => () => original.gradFunc(dy, saved, attrs)[k]!();
      return {
        x: () => dx!,
        mean: originalOf('mean'),
        variance: originalOf('variance'),
        scale: () => dScale!,
        offset: () => dOffset!,
      };
    },
  };
}

/** tfjs-core's own gradients, kept at the first install so that restoring is always to them. */
let tfjsOwn: { relu: GradConfig; relu6: GradConfig; bn: GradConfig } | undefined;

/**
 * Registers the fused gradients when `tf` runs on tfjs-node's native backend; returns a
 * function that restores tfjs's own (for tests and the A/B benchmark).
 */
export function useFusedGradients(tf: Tf): () => void {
  if (tf.getBackend() !== 'tensorflow') return () => {};
  if (!tfjsOwn) {
    const relu = tf.getGradient('Relu');
    const relu6 = tf.getGradient('Relu6');
    const bn = tf.getGradient('FusedBatchNorm');
    if (!relu || !relu6 || !bn) return () => {};
    tfjsOwn = { relu, relu6, bn };
  }
  const own = tfjsOwn;
  registerKernels(tf);
  tf.registerGradient(reluGrad(tf, own.relu, RELU_GRAD));
  tf.registerGradient(reluGrad(tf, own.relu6, RELU6_GRAD));
  tf.registerGradient(batchNormGrad(tf, own.bn));
  return () => {
    tf.registerGradient(own.relu);
    tf.registerGradient(own.relu6);
    tf.registerGradient(own.bn);
  };
}
