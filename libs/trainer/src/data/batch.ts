import type { LayersModel, Tensor4D } from '@tensorflow/tfjs';
import { augmentBatch, isIdentity, type AugmentParams } from '../augment';
import { tfjs } from '../backend';
import { PREPROCESS_LAYER } from '../preprocess';
import type { Rng } from '../rng';
import { copyImages, imageSize, type ImageDataset } from './dataset';

/**
 * Largest pixel value the trainer's models take: images enter the model as [0, 255] and the
 * model's own preprocessing layer maps them to the base's range (its metadata).
 */
export const PIXEL_MAX = 255;

/** Seeded augmentation of a training batch (strengths in [0, 1] pixel units, see ../augment). */
export interface BatchAugment {
  params: AugmentParams;
  rng: Rng;
}

/**
 * The examples at `indices` as one float32 NHWC buffer in [0, 255], augmented when asked. Only
 * this batch is converted; the dataset stays uint8.
 */
export function batchPixels(
  ds: ImageDataset,
  indices: readonly number[],
  augment?: BatchAugment,
): Float32Array {
  const out = new Float32Array(indices.length * imageSize(ds));
  copyImages(ds, indices, out);
  if (!augment || isIdentity(augment.params)) return out;
  return augmentBatch(out, indices.length, ds.shape, augment.params, augment.rng, PIXEL_MAX);
}

/** `batchPixels` as a [n, h, w, c] float32 tensor (the caller disposes it, e.g. in tf.tidy). */
export function batchTensor(
  ds: ImageDataset,
  indices: readonly number[],
  augment?: BatchAugment,
): Tensor4D {
  const [h, w, c] = ds.shape;
  return tfjs().tensor4d(batchPixels(ds, indices, augment), [indices.length, h, w, c], 'float32');
}

/** The indices start, start + 1, …, end − 1 (a batch in dataset order). */
export const indexRange = (start: number, end: number): number[] =>
  Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);

/**
 * Images start..end-1 of `ds` in the range a saved transfer model takes: [0, 255] when it
 * preprocesses inside the graph, [0, 1] for models saved before preprocessing moved there (so
 * old champions are not mis-scored by the holdout comparison).
 */
export function modelInputBatch(
  model: LayersModel,
  ds: ImageDataset,
  start: number,
  end: number,
): Tensor4D {
  const x = batchTensor(ds, indexRange(start, end));
  if (model.layers.some((l) => l.name === PREPROCESS_LAYER)) return x;
  const scaled = tfjs().div(x, PIXEL_MAX) as Tensor4D;
  x.dispose();
  return scaled;
}
