import type { LayersModel } from '@tensorflow/tfjs';
import { tfjs } from '../backend';
import { seedFor, Stream } from '../rng';

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

/**
 * BatchNorm momentum of a network trained from scratch: an average over the last few batches.
 * Validation normalises with these moving statistics, and in a short trial from scratch the
 * weights change fast: with the pretrained base's 0.99 (1 % a step) or even PyTorch's default
 * 0.9, EfficientNet-Lite0 at 32×32 after 24–32 steps still scored chance on validation (constant
 * outputs) while training accuracy reached 0.4–0.5; with 0.5 validation follows training
 * (0.49 vs 0.51 after 24 steps). Measured, docs/benchmarks.md.
 */
export const SCRATCH_BN_MOMENTUM = 0.5;

interface InitializerJson {
  class_name: string;
  config: Record<string, unknown>;
}

const isInitializer = (v: unknown): v is InitializerJson =>
  typeof v === 'object' && v !== null && 'class_name' in v && 'config' in v;

/**
 * The same network with fresh weights: its topology rebuilt, so every layer runs its own
 * initialisers again (BatchNorm back to identity statistics, with SCRATCH_BN_MOMENTUM), each
 * random initialiser seeded from (`seed`, layer, initialiser) so that a trial's seed reproduces
 * it. Disposes `model`.
 */
export async function untrainedCopy(model: LayersModel, seed: number): Promise<LayersModel> {
  const topology = model.toJSON(null, false) as unknown as { config: { layers: LayerJson[] } };
  topology.config.layers.forEach((layer, i) => {
    if (layer.class_name === 'BatchNormalization') layer.config['momentum'] = SCRATCH_BN_MOMENTUM;
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
