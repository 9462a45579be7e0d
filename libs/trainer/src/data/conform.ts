import { mapLimit } from '@retune/core';
import { imageOf, type ImageDataset } from './dataset';
import { convertPixels, type ImageShape } from './decode';

/**
 * The dataset with every image converted to `shape` (resized; grey replicated to RGB or RGB
 * made grey), e.g. 28×28 grey demo images for a 224×224 RGB ImageNet base. Unchanged when the
 * shapes already match. Builds the uint8 result directly (one image at a time).
 */
export async function conformDataset(ds: ImageDataset, shape: ImageShape): Promise<ImageDataset> {
  if (ds.shape.every((d, i) => d === shape[i])) return ds;
  const from = ds.shape;
  const outSize = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(ds.labels.length * outSize);
  await mapLimit(Array.from(ds.labels.keys()), 8, async (i) => {
    images.set(await convertPixels(imageOf(ds, i), from, shape), i * outSize);
  });
  const { store: _held, ...rest } = ds;
  return { ...rest, images, shape: [shape[0], shape[1], shape[2]] };
}
