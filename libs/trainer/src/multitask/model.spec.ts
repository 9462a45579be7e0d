import type { SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildEfficientNetLite, type EfficientNetLiteSpec } from '../bases/efficientnet-lite';
import { freezeUnits } from '../freeze';
import { tf } from '../test-support/fixtures';
import { buildMultiTaskModel } from './model';

// Two blocks in one stage: the second has a residual add, whose skip input comes from before
// the split when the towers start inside that block.
const TINY: EfficientNetLiteSpec = {
  stemFilters: 4,
  stages: [{ repeats: 2, kernel: 3, stride: 2, expand: 2, filters: 8 }],
  topFilters: 16,
};

describe('towers on a residual network', () => {
  it('copies the layers after the split, skip connections included, as the same function', () => {
    const base = buildEfficientNetLite({ inputSize: [32, 32], spec: TINY, seed: 3 });
    const probe = buildMultiTaskModel(base, {
      heads: [{ task: 'a', classes: 3 }],
      shareDepth: undefined,
      units: 4,
      dropout: 0,
      seed: 1,
    });
    // Split right after the second block's expansion conv: its add takes a shared input.
    const units = freezeUnits(probe.baseLayers);
    const split = units.findIndex((l) => l.name.endsWith('_expand_conv') && l.name.includes('1'));
    expect(split).toBeGreaterThan(0);
    const mtm = buildMultiTaskModel(base, {
      heads: [
        { task: 'a', classes: 3 },
        { task: 'b', classes: 2 },
      ],
      shareDepth: split + 1,
      units: 4,
      dropout: 0,
      seed: 1,
    });
    const copies = mtm.towers[1]!.map((l) => l.name);
    expect(copies.some((n) => n.endsWith('_add__b'))).toBe(true);
    expect(mtm.towers[0]!.map((l) => `${l.name}__b`)).toEqual(copies);
    // Each head's input is its tower's output: the two towers compute the same features.
    const features = tf.model({
      inputs: mtm.model.inputs,
      outputs: mtm.paths.map((p) => p.headLayers[0]!.input as SymbolicTensor),
    });
    const x = tf.randomUniform([2, 32, 32, 3], 0, 255, 'float32', 5);
    const [fa, fb] = features.predict(x) as Tensor[];
    expect(fa!.shape).toEqual(fb!.shape);
    const diff = tf.max(tf.abs(tf.sub(fa!, fb!))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([x, fa!, fb!]);
    mtm.model.dispose();
  });
});
