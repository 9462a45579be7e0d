import { describe, expect, it } from 'vitest';
import { AUGMENT_PRESETS } from './augment';
import { parseParams } from './params';

describe('parseParams', () => {
  it('fills defaults; baseLr defaults to headLr / 10; lr is an alias of headLr', () => {
    const { params, unknown } = parseParams({ lr: 0.01, sleepMs: 5 });
    expect(params.headLr).toBe(0.01);
    expect(params.baseLr).toBeCloseTo(0.001, 12);
    expect(params.freezeDepth).toBe('partial');
    expect(params.optimizer).toBe('adam');
    expect(unknown).toEqual(['sleepMs']);
  });

  it('augment presets with per-op overrides', () => {
    const { params } = parseParams({ augment: 'light', augNoise: 0, augFlip: 0.5 });
    expect(params.augment).toEqual({ ...AUGMENT_PRESETS.light, noise: 0, flip: 0.5 });
  });

  it('names each bad field', () => {
    expect(() => parseParams({ epochs: 0, freezeDepth: 'most', optimizer: 'rmsprop' })).toThrow(
      /params\.epochs: .*params\.optimizer: .*params\.freezeDepth/s,
    );
  });
});
