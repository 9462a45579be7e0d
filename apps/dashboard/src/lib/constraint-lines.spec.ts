import { describe, expect, it } from 'vitest';
import { formatConstraintLines, parseConstraintLines } from './constraint-lines';

describe('constraint lines', () => {
  it('reads one bound a line and joins both bounds of one value', () => {
    expect(parseConstraintLines('trainable_params <= 1e6\n\nval_acc >= 0.5\nval_acc<=1')).toEqual([
      { name: 'trainable_params', max: 1e6 },
      { name: 'val_acc', min: 0.5, max: 1 },
    ]);
  });

  it('passes an unreadable line on as a name only, for the schema to refuse', () => {
    expect(parseConstraintLines('x < 3\ny <= lots')).toEqual([
      { name: 'x < 3' },
      { name: 'y <= lots' },
    ]);
  });

  it('writes what it reads', () => {
    const text = 'a >= 1\na <= 2\nb <= 3';
    expect(formatConstraintLines(parseConstraintLines(text))).toBe(text);
    expect(formatConstraintLines(undefined)).toBe('');
  });
});
