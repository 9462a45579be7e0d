import { describe, expect, it } from 'vitest';
import { nonFiniteHint } from './non-finite-hint';

describe('nonFiniteHint', () => {
  it('explains bare NaN / Infinity (what Python json.dumps prints for a diverged loss)', () => {
    expect(nonFiniteHint('{"type": "metric", "epoch": 3, "values": {"loss": NaN}}')).toMatch(
      /diverged.*allow_nan=False/,
    );
    expect(nonFiniteHint('{"values": {"loss": -Infinity}}')).toMatch(/not JSON/);
  });

  it('stays quiet for ordinary garbage and for NaN inside strings or names', () => {
    expect(nonFiniteHint('Epoch 1/3 - loss: 0.42')).toBe('');
    expect(nonFiniteHint('{"type":"log","msg":"NaN"}')).toBe('');
    expect(nonFiniteHint('{"values":{"NaNcount":1}}')).toBe('');
  });
});
