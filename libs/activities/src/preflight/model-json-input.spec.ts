import { describe, expect, it } from 'vitest';
import { imageInputProblem, modelJsonInputShapes } from './model-json-input';

const functional = (shape: (number | null)[], key = 'batch_input_shape') => ({
  modelTopology: {
    class_name: 'Model',
    config: {
      layers: [
        { name: 'base_input', class_name: 'InputLayer', config: { [key]: shape } },
        { name: 'base_flatten', class_name: 'Flatten', config: {} },
      ],
      input_layers: [['base_input', 0, 0]],
    },
  },
});

describe('modelJsonInputShapes', () => {
  it('reads functional, Keras 3 and Sequential topologies', () => {
    expect(modelJsonInputShapes(functional([null, 28, 28, 1]))).toEqual([[null, 28, 28, 1]]);
    expect(modelJsonInputShapes(functional([null, 224, 224, 3], 'batch_shape'))).toEqual([
      [null, 224, 224, 3],
    ]);
    const sequential = {
      modelTopology: {
        model_config: {
          class_name: 'Sequential',
          config: { layers: [{ class_name: 'Dense', config: { batch_input_shape: [null, 4] } }] },
        },
      },
    };
    expect(modelJsonInputShapes(sequential)).toEqual([[null, 4]]);
  });

  it('throws for a file that is no LayersModel', () => {
    expect(() => modelJsonInputShapes({ weightsManifest: [] })).toThrow(/not a LayersModel/);
  });
});

describe('imageInputProblem', () => {
  it('accepts one fixed-size grey or RGB image input', () => {
    expect(imageInputProblem([[null, 28, 28, 1]])).toBeUndefined();
    expect(imageInputProblem([[null, 224, 224, 3]])).toBeUndefined();
  });
  it('names what is wrong with other inputs', () => {
    expect(imageInputProblem([[null, 4]])).toMatch(/\[batch, 4\] is not an image/);
    expect(imageInputProblem([[null, null, null, 3]])).toMatch(/fixed sizes/);
    expect(imageInputProblem([[null, 28, 28, 4]])).toMatch(/4 channels/);
    expect(imageInputProblem([])).toMatch(/0 inputs/);
  });
});
