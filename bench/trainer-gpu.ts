/**
 * The GPU rows of bench:trainer: the same cases on the host's first NVIDIA GPU (tfjs on the GPU
 * build, PyTorch on CUDA), or the reason there are none. Nothing here pretends a GPU exists:
 * without `nvidia-smi` listing one, there are no GPU rows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface GpuCases {
  /** The GPU the rows run on, e.g. "0, NVIDIA H200". */
  gpu?: string;
  /** Env and input device for a trainer on that GPU (the worker's own settings). */
  env?: Record<string, string>;
  device?: { kind: 'gpu'; index: number };
  /** Why a trainer has no GPU row (absent: it has one). */
  skipTfjs?: string;
  skipTorch?: string;
  /** Why there are no GPU rows at all. */
  skipAll?: string;
}

export function gpuCases(root: string, torchPython: string | undefined): GpuCases {
  const r = spawnSync('nvidia-smi', ['--query-gpu=index,name', '--format=csv,noheader'], {
    encoding: 'utf8',
  });
  const first = r.status === 0 ? r.stdout.trim().split('\n')[0] : undefined;
  if (!first) return { skipAll: 'no NVIDIA GPU (nvidia-smi lists none or is missing)' };
  const index = Number(first.split(',')[0]);
  const gpuBuild = join(root, 'node_modules/@tensorflow/tfjs-node-gpu/deps/.tfjs-native-gpu.json');
  return {
    gpu: first,
    env: { CUDA_VISIBLE_DEVICES: String(index), TF_FORCE_GPU_ALLOW_GROWTH: 'true' },
    device: { kind: 'gpu', index },
    ...(existsSync(gpuBuild)
      ? {}
      : { skipTfjs: 'the GPU build is not installed (npm run setup:gpu)' }),
    ...(torchPython ? {} : { skipTorch: 'no Python with torch' }),
  };
}
