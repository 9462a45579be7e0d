import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { tfjs } from '../backend';
import {
  buildEfficientNetLite,
  EFFICIENTNET_LITE0,
  mbBlocks,
  type BuildOptions,
  type EfficientNetLiteSpec,
} from './efficientnet-lite';
import type { StateDict, TorchTensor } from './pth';

// The PyTorch port's state_dict (lukemelas/EfficientNet-PyTorch layout) → the tfjs network.

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
