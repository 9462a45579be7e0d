import type { LayersModel } from '@tensorflow/tfjs';
import { tfjs } from '../backend';
import { seedFor, Stream } from '../rng';

interface LayerJson {
  config: Record<string, unknown>;
}

interface InitializerJson {
  class_name: string;
  config: Record<string, unknown>;
}

const isInitializer = (v: unknown): v is InitializerJson =>
  typeof v === 'object' && v !== null && 'class_name' in v && 'config' in v;

/**
 * The same network with fresh weights: its topology rebuilt, so every layer runs its own
 * initialisers again (BatchNorm back to identity statistics), each random initialiser seeded
 * from (`seed`, layer, initialiser) so that a trial's seed reproduces it. Disposes `model`.
 */
export async function untrainedCopy(model: LayersModel, seed: number): Promise<LayersModel> {
  const topology = model.toJSON(null, false) as unknown as { config: { layers: LayerJson[] } };
  topology.config.layers.forEach((layer, i) => {
    Object.entries(layer.config).forEach(([key, value], k) => {
      if (key.endsWith('_initializer') && isInitializer(value) && 'seed' in value.config) {
        value.config['seed'] = seedFor(seed, Stream.init, i, k);
      }
    });
  });
  const fresh = await tfjs().models.modelFromJSON({ modelTopology: topology as never });
  model.dispose();
  return fresh;
}
