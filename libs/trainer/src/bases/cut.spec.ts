import { describe, expect, it } from 'vitest';
import { buildBaseModel } from '../model';
import { parseParams } from '../params';
import '../test-support/fixtures';
import { cutBase } from './cut';

describe('cutBase', () => {
  const model = buildBaseModel({ inputShape: [28, 28, 1], filters: [4, 8] });

  it('cuts at a named layer, e.g. before a classifier', () => {
    const cut = cutBase(model, 'base_pool1', 'm');
    expect(cut.outputs[0]!.shape).toEqual([null, 14, 14, 4]);
    expect(cut.layers.at(-1)!.name).toBe('base_pool1');
  });

  it('keeps the model when no layer is given or it is the output already', () => {
    expect(cutBase(model, undefined, 'm')).toBe(model);
    expect(cutBase(model, 'base_flatten', 'm')).toBe(model);
  });

  it('names the layers it has when the cut layer does not exist', () => {
    expect(() => cutBase(model, 'out_relu', 'my-base')).toThrow(
      /my-base has no layer "out_relu" .*base_pool2, base_flatten/,
    );
  });

  it('baseOutputLayer is a trainer param', () => {
    expect(parseParams({ baseOutputLayer: 'out_relu' }).params.baseOutputLayer).toBe('out_relu');
    expect(parseParams({}).params.baseOutputLayer).toBeUndefined();
  });
});
