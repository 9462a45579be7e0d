import { describe, expect, it } from 'vitest';
import {
  describeMeta,
  layersOf,
  metaFromOptions,
  parseInputSize,
  parsePreprocessing,
  softmaxWarning,
} from './base-model-meta';

/** A Keras-style model.json: conv → pooling → dense softmax (like a saved classifier). */
const classifier = {
  modelTopology: {
    model_config: {
      class_name: 'Model',
      config: {
        layers: [
          {
            name: 'input_1',
            class_name: 'InputLayer',
            config: { batch_input_shape: [null, 96, 96, 3] },
          },
          { name: 'conv', class_name: 'Conv2D', config: { activation: 'relu' } },
          { name: 'out_relu', class_name: 'ReLU', config: {} },
          { name: 'gap', class_name: 'GlobalAveragePooling2D', config: {} },
          { name: 'dense', class_name: 'Dense', config: { activation: 'softmax' } },
        ],
      },
    },
  },
};
const layers = layersOf(classifier);

describe('base-model register metadata options', () => {
  it('parses every preprocessing kind', () => {
    expect(parsePreprocessing('unit')).toEqual({ kind: 'unit' });
    expect(parsePreprocessing('symmetric')).toEqual({ kind: 'symmetric' });
    expect(parsePreprocessing('offset-scale:127,128')).toEqual({
      kind: 'offset-scale',
      offset: 127,
      scale: 128,
    });
    expect(parsePreprocessing('mean-std:0.485,0.456,0.406/0.229,0.224,0.225')).toEqual({
      kind: 'mean-std',
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    });
  });

  it('rejects malformed preprocessing, naming the flag', () => {
    expect(() => parsePreprocessing('imagenet')).toThrow(/--preprocessing: use unit/);
    expect(() => parsePreprocessing('offset-scale:127')).toThrow(/positive scale/);
    expect(() => parsePreprocessing('mean-std:0.5,0.5/0.2')).toThrow(/as many means as stds/);
    expect(() => parsePreprocessing('offset-scale:a,1')).toThrow(/"a" is not a number/);
  });

  it('parses input sizes', () => {
    expect(parseInputSize('224')).toEqual([224, 224]);
    expect(parseInputSize('160x128')).toEqual([160, 128]);
    expect(() => parseInputSize('big')).toThrow(/--input-size/);
  });

  it('stores no metadata unless an option is given; fills size and channels from the model', () => {
    expect(metaFromOptions({}, [null, 96, 96, 3], layers)).toBeUndefined();
    expect(
      metaFromOptions(
        { preprocessing: 'symmetric', outputLayer: 'out_relu' },
        [null, 96, 96, 3],
        layers,
      ),
    ).toEqual({
      inputSize: [96, 96],
      channels: 3,
      preprocessing: { kind: 'symmetric' },
      outputLayer: 'out_relu',
      classifierTop: true,
    });
  });

  it('rejects a cut layer the model does not have and bad channels', () => {
    expect(() => metaFromOptions({ outputLayer: 'nope' }, [null, 96, 96, 3], layers)).toThrow(
      /--output-layer nope: no such layer \(last layers: .*out_relu, gap, dense\)/,
    );
    expect(() => metaFromOptions({ channels: '2' }, [null, 96, 96, 3], layers)).toThrow(
      /--channels/,
    );
  });

  it('describes stored metadata in one line', () => {
    const meta = metaFromOptions(
      { preprocessing: 'offset-scale:127,128', outputLayer: 'out_relu' },
      [null, 96, 96, 3],
      layers,
    )!;
    expect(describeMeta(meta)).toBe('(x-127)/128, cut at out_relu');
  });

  it('warns about a softmax top and names the layer to cut at', () => {
    expect(softmaxWarning(layers, undefined)).toMatch(/ends in softmax .*--output-layer out_relu/);
    expect(softmaxWarning(layers, 'out_relu')).toBeNull();
    expect(softmaxWarning(layers.slice(0, 3), undefined)).toBeNull();
  });
});
