import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { tfjs } from '../backend';

/**
 * The base cut at `layer` (its output becomes the base's output), e.g. before the classifier
 * of a model that still ends in softmax. No layer, or the output layer itself: the model as is.
 * A cut consumes `model`: the layers above the cut are disposed.
 */
export function cutBase(model: LayersModel, layer: string | undefined, label: string): LayersModel {
  if (!layer) return model;
  const names = model.layers.map((l) => l.name);
  if (!names.includes(layer)) {
    throw new Error(
      `base model ${label} has no layer "${layer}" to cut at (its last layers: ${names.slice(-6).join(', ')})`,
    );
  }
  if (model.outputLayers.length === 1 && model.outputLayers[0]!.name === layer) return model;
  const cut = tfjs().model({
    inputs: model.inputs,
    outputs: model.getLayer(layer).output as SymbolicTensor,
    name: model.name,
  });
  // Layers above the cut are in no model any more: free their weights, or a serving trainer
  // would keep them once per base it cuts (serve/serve.spec.ts counts tensors).
  const kept = new Set(cut.layers);
  for (const l of model.layers) if (!kept.has(l)) l.dispose();
  return cut;
}
