import type { LayersModel, Tensor4D } from '@tensorflow/tfjs';
import { tfjs } from './backend';
import { imageSize, type ImageDataset } from './data/dataset';
import { PREPROCESS_LAYER } from './preprocess';

/** Largest pixel value the trainer's models take: images enter the model as [0, 255]. */
export const PIXEL_MAX = 255;

type Pixels = Float32Array | Uint8Array;

/**
 * Copies the images at `indices` into one float32 NHWC buffer in [0, 255], the model's input
 * range (preprocessing to the base's range happens inside the model).
 */
export function gatherPixels(
  data: Pick<ImageDataset, 'shape'> & { images: Pixels },
  indices: ArrayLike<number>,
): Float32Array {
  const size = imageSize(data);
  const out = new Float32Array(indices.length * size);
  // Adapter until the datasets hold uint8: float datasets are in [0, 1].
  const scale = data.images instanceof Uint8Array ? 1 : PIXEL_MAX;
  for (let j = 0; j < indices.length; j++) {
    const src = data.images.subarray(indices[j]! * size, (indices[j]! + 1) * size);
    if (scale === 1) out.set(src, j * size);
    else for (let k = 0; k < size; k++) out[j * size + k] = src[k]! * scale;
  }
  return out;
}

/** Images start..end-1 of `data` as a model input tensor ([0, 255], float32). */
export function batchTensor(
  data: Pick<ImageDataset, 'shape'> & { images: Pixels },
  start: number,
  end: number,
): Tensor4D {
  const idx = Array.from({ length: end - start }, (_, i) => start + i);
  return tfjs().tensor4d(gatherPixels(data, idx), [end - start, ...data.shape]);
}

/**
 * Images start..end-1 of `data` in the range a saved transfer model takes: [0, 255] when it
 * preprocesses inside the graph, [0, 1] for models saved before preprocessing moved there.
 */
export function modelInputBatch(
  model: LayersModel,
  data: Pick<ImageDataset, 'shape'> & { images: Pixels },
  start: number,
  end: number,
): Tensor4D {
  const x = batchTensor(data, start, end);
  if (model.layers.some((l) => l.name === PREPROCESS_LAYER)) return x;
  const tf = tfjs();
  const scaled = tf.div(x, PIXEL_MAX) as Tensor4D;
  x.dispose();
  return scaled;
}
