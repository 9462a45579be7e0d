import type { Tensor4D } from '@tensorflow/tfjs';
import { augmentBatch, isIdentity, type AugmentParams } from '../augment';
import { tfjs } from '../backend';
import type { Rng } from '../rng';
import { imageSize, type ImageDataset } from './dataset';

/**
 * Whether the model maps raw [0, 255] pixels itself (a preprocessing layer inside the graph, per
 * the base's metadata). While it does not, batches are scaled to [0, 1] here, the range the
 * demo bases were trained on. Flip to `true` once every model carries its preprocessing layer.
 */
export const MODEL_TAKES_RAW_PIXELS = false;

/** Seeded augmentation of a training batch (strengths in [0, 1] pixel units, see ../augment). */
export interface BatchAugment {
  params: AugmentParams;
  rng: Rng;
}

/**
 * The examples at `indices` as one float32 NHWC buffer in the model's input units: [0, 255]
 * when MODEL_TAKES_RAW_PIXELS, else [0, 1]. Only this batch is converted; the dataset stays uint8.
 */
export function batchPixels(
  ds: ImageDataset,
  indices: readonly number[],
  augment?: BatchAugment,
): Float32Array {
  const size = imageSize(ds);
  const out = new Float32Array(indices.length * size);
  indices.forEach((src, j) => out.set(ds.images.subarray(src * size, (src + 1) * size), j * size));
  const scale = MODEL_TAKES_RAW_PIXELS ? 1 : 1 / 255;
  if (!augment || isIdentity(augment.params)) {
    if (scale !== 1) for (let i = 0; i < out.length; i++) out[i]! *= scale;
    return out;
  }
  // Augmentation works in [0, 1] units (its strengths and clamping are defined there).
  for (let i = 0; i < out.length; i++) out[i]! /= 255;
  const augmented = augmentBatch(out, indices.length, ds.shape, augment.params, augment.rng);
  if (MODEL_TAKES_RAW_PIXELS) for (let i = 0; i < augmented.length; i++) augmented[i]! *= 255;
  return augmented;
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
