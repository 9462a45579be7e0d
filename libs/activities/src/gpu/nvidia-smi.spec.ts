import { describe, expect, it } from 'vitest';
import { parseGpuList, parseGpuSample } from './nvidia-smi';

// Lines as nvidia-smi 550 prints them for the sampler's and the listing's queries.
describe('nvidia-smi output', () => {
  it('reads utilisation and memory', () => {
    expect(parseGpuSample('87, 10240')).toEqual({ utilPercent: 87, memoryUsedMb: 10240 });
    expect(parseGpuSample(' 0, 1 ')).toEqual({ utilPercent: 0, memoryUsedMb: 1 });
  });

  it('gives no sample for fields the GPU cannot report, or for other output', () => {
    expect(parseGpuSample('[N/A], 512')).toBeNull();
    expect(parseGpuSample('[Not Supported], [Not Supported]')).toBeNull();
    expect(parseGpuSample('No devices were found')).toBeNull();
    expect(parseGpuSample(', 5')).toBeNull();
  });

  it('lists GPUs by index and name', () => {
    const out = '0, NVIDIA H200\n1, NVIDIA H100 80GB HBM3\n\n';
    expect(parseGpuList(out)).toEqual([
      { index: 0, name: 'NVIDIA H200' },
      { index: 1, name: 'NVIDIA H100 80GB HBM3' },
    ]);
    expect(parseGpuList('NVIDIA-SMI has failed because it could not communicate')).toEqual([]);
  });
});
