import { describe, expect, it } from 'vitest';
import { parseWorkerArgs } from './args';
import { gpuBuildHint, resolveSlots } from './gpu-host';

const h200 = [
  { index: 0, name: 'NVIDIA H200' },
  { index: 1, name: 'NVIDIA H200' },
];

describe('GPU host', () => {
  it('--gpus auto takes every GPU nvidia-smi lists', async () => {
    const args = parseWorkerArgs(['--gpus', 'auto']);
    expect(await resolveSlots(args, async () => h200)).toEqual({ kind: 'gpu', gpus: [0, 1] });
    await expect(resolveSlots(args, async () => [])).rejects.toThrow(/no NVIDIA GPU.*--slots N/);
  });

  it('explicit slots are kept as given', async () => {
    const args = parseWorkerArgs(['--gpus', '2']);
    expect(await resolveSlots(args, async () => h200)).toEqual({ kind: 'gpu', gpus: [2] });
  });

  it('names the command that adds the GPU build when GPUs are there and it is not', () => {
    expect(gpuBuildHint(h200, false)).toMatch(
      /2 NVIDIA GPU\(s\) \(NVIDIA H200\).*npm run setup:gpu/,
    );
    expect(gpuBuildHint(h200, true)).toBeNull();
    expect(gpuBuildHint([], false)).toBeNull();
  });
});
