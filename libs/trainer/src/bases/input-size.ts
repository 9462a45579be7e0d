import type { LayersModel } from '@tensorflow/tfjs';
import { tfjs } from '../backend';

interface LayerJson {
  class_name: string;
  config: { batch_input_shape?: (number | null)[] };
}

/**
 * The same fully-convolutional network taking [h, w] images: its topology with the input
 * layer's shape changed, and its weights (which do not depend on the image size) copied.
 * Disposes `model` unless the size is already right. Throws when a layer's weights no longer
 * fit (a Flatten → Dense inside the base).
 */
export async function withInputSize(
  model: LayersModel,
  [h, w]: [number, number],
): Promise<LayersModel> {
  const [, mh, mw, c] = model.inputs[0]!.shape;
  if (mh === h && mw === w) return model;
  const tf = tfjs();
  const topology = model.toJSON(null, false) as unknown as { config: { layers: LayerJson[] } };
  for (const layer of topology.config.layers) {
    if (layer.class_name === 'InputLayer') layer.config.batch_input_shape = [null, h, w, c!];
  }
  const resized = await tf.models.modelFromJSON({ modelTopology: topology as never });
  const weights = model.getWeights();
  try {
    resized.setWeights(weights);
  } catch (err) {
    resized.dispose();
    throw new Error(`the base cannot take ${h}×${w} images: ${(err as Error).message}`);
  }
  model.dispose();
  return resized;
}
