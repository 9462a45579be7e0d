import { describe, expect, it } from 'vitest';
import { isPerClassAccuracy, perClassAccuracy, perClassAccuracyName } from './per-class';
import { curvesByName } from './per-epoch';

describe('curvesByName', () => {
  it('keeps the last value of each epoch, per metric', () => {
    const curves = curvesByName([
      { name: 'loss', epoch: 0, value: 3 },
      { name: 'loss', epoch: 0, value: 2 },
      { name: 'acc', epoch: 0, value: 0.5 },
      { name: 'loss', epoch: 1, value: 1 },
    ]);
    expect(curves.get('loss')).toEqual({ epochs: [0, 1], values: [2, 1] });
    expect(curves.get('acc')).toEqual({ epochs: [0], values: [0.5] });
  });
});

describe('per-class accuracy', () => {
  it('names, recognises and collects per-class values in natural class order', () => {
    expect(perClassAccuracyName('cat')).toBe('val_acc_class_cat');
    expect(isPerClassAccuracy('val_acc_class_cat')).toBe(true);
    expect(isPerClassAccuracy('val_acc')).toBe(false);
    expect(perClassAccuracy({ val_acc: 0.9, val_acc_class_10: 0.2, val_acc_class_9: 0.3 })).toEqual(
      [
        { label: '9', acc: 0.3 },
        { label: '10', acc: 0.2 },
      ],
    );
  });
});
