import { describe, expect, it } from 'vitest';
import { gpuBusyShare } from './gpu-metrics';

describe('gpuBusyShare', () => {
  it('is the mean gpu_util of every sample, as a share', () => {
    expect(gpuBusyShare([{ values: [100, 80] }, { values: [60] }])).toBeCloseTo(0.8);
  });

  it('is null when no trial was sampled', () => {
    expect(gpuBusyShare([])).toBeNull();
    expect(gpuBusyShare([{ values: [] }])).toBeNull();
  });
});
