import type { Tensor } from '@tensorflow/tfjs';
import type { Layer, TransferModel } from './model';
import type { FreezeDepth } from './params';

/**
 * How many base layers (from the input side) `depth` freezes out of `baseLayerCount`:
 * `feature-extraction` → all, `partial` → half (rounded down), `full` → none, an integer → that
 * many (capped at the base's size), a non-integer in (0, 1) → that fraction (rounded).
 */
export function resolveFreezeCount(depth: FreezeDepth, baseLayerCount: number): number {
  if (depth === 'feature-extraction') return baseLayerCount;
  if (depth === 'partial') return Math.floor(baseLayerCount / 2);
  if (depth === 'full') return 0;
  if (!Number.isFinite(depth) || depth < 0) {
    throw new Error(`freezeDepth must be ≥ 0 or a strategy, got ${depth}`);
  }
  if (Number.isInteger(depth)) return Math.min(depth, baseLayerCount);
  if (depth < 1) return Math.round(depth * baseLayerCount);
  throw new Error(
    `freezeDepth ${depth} is neither a layer count (integer) nor a fraction in (0, 1)`,
  );
}

/** Frozen base layers at `epoch` under gradual unfreezing (every `every` epochs, `step` more). */
export function frozenCountAt(
  initial: number,
  epoch: number,
  schedule: { unfreezeEvery: number; unfreezeLayers: number },
): number {
  if (schedule.unfreezeEvery <= 0) return initial;
  const steps = Math.floor(epoch / schedule.unfreezeEvery);
  return Math.max(0, initial - steps * schedule.unfreezeLayers);
}

// ---------------------------------------------------------------------------------------------
// Frozen BatchNormalization must run in inference mode. tfjs-layers' BatchNormalization.call
// looks only at kwargs.training: with training=true it normalises with the batch statistics and
// writes the moving mean/variance even when the layer is not trainable (unlike Keras ≥ 2.1.3).
// A frozen BN layer therefore gets a call() that forces training=false; unfreezing restores it.

type CallFn = (inputs: Tensor | Tensor[], kwargs: Record<string, unknown>) => Tensor | Tensor[];
const originalCalls = new WeakMap<Layer, CallFn>();

const isBatchNorm = (l: Layer) => l.getClassName() === 'BatchNormalization';
const innerLayers = (l: Layer): Layer[] => {
  const inner = (l as unknown as { layers?: Layer[] }).layers;
  return Array.isArray(inner) ? inner.flatMap((x) => [x, ...innerLayers(x)]) : [];
};

function setInferenceMode(layer: Layer, inference: boolean): void {
  for (const l of [layer, ...innerLayers(layer)]) {
    if (!isBatchNorm(l)) continue;
    const mutable = l as unknown as { call: CallFn };
    const original = originalCalls.get(l);
    if (inference && !original) {
      const call = mutable.call.bind(l) as CallFn;
      originalCalls.set(l, call);
      mutable.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
    } else if (!inference && original) {
      mutable.call = original;
      originalCalls.delete(l);
    }
  }
}

/** True when `layer` (a BatchNormalization layer) is forced into inference mode. */
export const isInferenceLocked = (layer: Layer) => originalCalls.has(layer);

export interface FreezeReport {
  frozen: string[];
  trainable: string[];
  trainableWeightsBefore: number;
  trainableWeightsAfter: number;
}

/**
 * Freezes the first `count` base layers (by name) and unfreezes the rest; head layers stay
 * trainable. Asserts that the model's trainable-weight count dropped by exactly the frozen
 * layers' weights, and that frozen BatchNorm layers run in inference mode.
 */
export function applyFreeze(tm: TransferModel, count: number): FreezeReport {
  const { model, baseLayers } = tm;
  if (!Number.isInteger(count) || count < 0 || count > baseLayers.length) {
    throw new Error(`freeze count ${count} outside 0..${baseLayers.length}`);
  }
  for (const l of [...baseLayers, ...tm.headLayers]) {
    l.trainable = true;
    setInferenceMode(l, false);
  }
  const before = model.trainableWeights.length;
  const perLayer = new Map(baseLayers.map((l) => [l.name, l.trainableWeights.length]));
  const frozenNames = baseLayers.slice(0, count).map((l) => l.name);
  let expectedDrop = 0;
  for (const name of frozenNames) {
    const layer = model.getLayer(name);
    layer.trainable = false;
    setInferenceMode(layer, true);
    expectedDrop += perLayer.get(name) ?? 0;
  }
  const after = model.trainableWeights.length;
  if (after !== before - expectedDrop) {
    throw new Error(
      `freezing ${count} base layers left ${after} trainable weights, expected ${before - expectedDrop}`,
    );
  }
  for (const name of frozenNames) {
    const layer = model.getLayer(name);
    if (layer.trainableWeights.length !== 0) throw new Error(`layer ${name} is still trainable`);
    for (const bn of [layer, ...innerLayers(layer)].filter(isBatchNorm)) {
      if (!isInferenceLocked(bn))
        throw new Error(`frozen BatchNorm ${bn.name} is not in inference mode`);
    }
  }
  return {
    frozen: frozenNames,
    trainable: baseLayers.slice(count).map((l) => l.name),
    trainableWeightsBefore: before,
    trainableWeightsAfter: after,
  };
}
