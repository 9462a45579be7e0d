import { describe, expect, it } from 'vitest';
import { inputShapeOf } from './base-model';

describe('inputShapeOf', () => {
  it('finds the declared input shape of a tfjs model.json, in either spelling', () => {
    const keras = {
      modelTopology: {
        model_config: {
          config: { layers: [{ config: { batch_input_shape: [null, 28, 28, 1] } }] },
        },
      },
    };
    expect(inputShapeOf(keras)).toEqual([null, 28, 28, 1]);
    expect(inputShapeOf({ a: [{ batchInputShape: [null, 32, 32, 3] }] })).toEqual([
      null,
      32,
      32,
      3,
    ]);
    expect(inputShapeOf({ weightsManifest: [] })).toBeNull();
  });
});
