import type { Tensor } from '@tensorflow/tfjs';
import type { Layer, TransferModel } from './model';
import type { FreezeDepth } from './params';

/**
 * The layers freezeDepth counts: base layers that hold weights (convolutions, BatchNorm, dense),
 * in order from the input. Weightless layers (activations, pooling, reshapes) have nothing to
 * freeze, so counting them would make the unit depend on how an export splits activations; the
 * PyTorch trainer counts the same way (leaf modules with parameters or buffers).
 */
export const freezeUnits = (baseLayers: Layer[]): Layer[] =>
  baseLayers.filter((l) => l.weights.length > 0);

/**
 * How many freeze units (weighted base layers, from the input side) `depth` freezes out of `baseLayerCount`:
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

export type BnMode = 'frozen' | 'train';

export interface FreezeReport {
  /** Frozen freeze units (weighted base layers), from the input side. */
  frozen: string[];
  /** Trainable freeze units. */
  trainable: string[];
  trainableWeightsBefore: number;
  trainableWeightsAfter: number;
}

/**
 * Freezes the first `count` freeze units (weighted base layers, by name) and unfreezes the rest;
 * head layers stay trainable. BatchNorm layers of the base run in inference mode when frozen,
 * and with `bnMode: 'frozen'` (the Keras fine-tuning recipe) also when trainable: γ/β learn but
 * the pretrained moving statistics are used and kept. Asserts that the trainable-weight count
 * dropped by exactly the frozen layers' weights and that BatchNorm is in the intended mode.
 */
export function applyFreeze(
  tm: TransferModel,
  count: number,
  bnMode: BnMode = 'frozen',
): FreezeReport {
  const { model } = tm;
  const units = freezeUnits(tm.baseLayers);
  if (!Number.isInteger(count) || count < 0 || count > units.length) {
    throw new Error(`freeze count ${count} outside 0..${units.length}`);
  }
  for (const l of [...tm.baseLayers, ...tm.headLayers]) {
    l.trainable = true;
    setInferenceMode(l, false);
  }
  const before = model.trainableWeights.length;
  const frozen = units.slice(0, count);
  let expectedDrop = 0;
  for (const layer of frozen) {
    expectedDrop += layer.trainableWeights.length;
    layer.trainable = false;
  }
  const locked = bnMode === 'frozen' ? tm.baseLayers : frozen;
  for (const layer of locked) setInferenceMode(layer, true);
  const after = model.trainableWeights.length;
  if (after !== before - expectedDrop) {
    throw new Error(
      `freezing ${count} base layers left ${after} trainable weights, expected ${before - expectedDrop}`,
    );
  }
  for (const layer of frozen) {
    if (layer.trainableWeights.length !== 0)
      throw new Error(`layer ${layer.name} is still trainable`);
  }
  for (const bn of locked.flatMap((l) => [l, ...innerLayers(l)]).filter(isBatchNorm)) {
    if (!isInferenceLocked(bn)) throw new Error(`BatchNorm ${bn.name} is not in inference mode`);
  }
  return {
    frozen: frozen.map((l) => l.name),
    trainable: units.slice(count).map((l) => l.name),
    trainableWeightsBefore: before,
    trainableWeightsAfter: after,
  };
}
