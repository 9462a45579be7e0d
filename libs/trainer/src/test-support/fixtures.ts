import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { loadTf } from '../backend';
import { loadDemoDataset } from '../data/demo';
import { buildBaseModel } from '../model';
import { parseParams } from '../params';
import { TransferTrainer } from '../trainer';

export const tf = loadTf().tf;

/** A tiny target task: 10 train / 10 val images per class of digits 5–9. */
export const smallData = (name = 'demo:mnist-5-9') =>
  loadDemoDataset(name, { trainPerClass: 10, valPerClass: 10 });

export function makeTrainer(
  params: Record<string, string | number | boolean> = {},
  opts: { seed?: number; base?: LayersModel } = {},
): TransferTrainer {
  const seed = opts.seed ?? 3;
  return new TransferTrainer({
    base: opts.base ?? buildBaseModel({ seed }),
    params: parseParams({ batchSize: 16, units: 16, ...params }).params,
    seed,
    classes: 5,
  });
}

/** Copies of every weight of the named layer, as Float32Arrays (order of layer.weights). */
export function layerValues(model: LayersModel, name: string): Float32Array[] {
  return model
    .getLayer(name)
    .weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
}

export function allValues(model: LayersModel): Map<string, Float32Array[]> {
  return new Map(model.layers.map((l) => [l.name, layerValues(model, l.name)]));
}

export const meanAbsDiff = (a: Float32Array[], b: Float32Array[]) => {
  let sum = 0;
  let n = 0;
  a.forEach((arr, i) => {
    arr.forEach((v, j) => {
      sum += Math.abs(v - b[i]![j]!);
      n++;
    });
  });
  return n === 0 ? 0 : sum / n;
};

export const maxAbsDiff = (a: Float32Array[], b: Float32Array[]) => {
  let m = 0;
  a.forEach((arr, i) => arr.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!)))));
  return m;
};

/**
 * A Keras-style export with a nested base (`x = base(inputs)`): outer_input → the demo CNN
 * (conv 4 → 8, one layer of the outer model) → outer_dense.
 */
export function nestedBase(seed = 5): LayersModel {
  const inner = buildBaseModel({ seed, filters: [4, 8] });
  const input = tf.input({ shape: [28, 28, 1], name: 'outer_input' });
  const x = inner.apply(input) as SymbolicTensor;
  const out = tf.layers.dense({ name: 'outer_dense', units: 8 }).apply(x) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'outer' });
}
