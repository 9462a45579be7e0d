import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { listGpus, type GpuInfo, type SlotConfig } from '@retune/activities';
import { UsageError, type WorkerArgs } from './args';

/** `--gpus auto`: one slot per GPU nvidia-smi lists; an error naming the fix when there is none. */
export async function resolveSlots(
  args: WorkerArgs,
  list: () => Promise<GpuInfo[]> = listGpus,
): Promise<SlotConfig> {
  if (!args.gpusAuto) return args.slots;
  const gpus = await list();
  if (gpus.length === 0) {
    throw new UsageError(
      '--gpus auto: nvidia-smi lists no NVIDIA GPU on this host (is the driver installed?); use --slots N for a CPU worker',
    );
  }
  return { kind: 'gpu', gpus: gpus.map((g) => g.index) };
}

/** Whether `npm run setup:gpu` installed the GPU build of TensorFlow.js under repoRoot. */
export function gpuBuildInstalled(repoRoot: string): boolean {
  try {
    const require = createRequire(path.join(repoRoot, 'package.json'));
    const pkg = path.dirname(require.resolve('@tensorflow/tfjs-node-gpu/package.json'));
    return fs.existsSync(path.join(pkg, 'deps', '.tfjs-native-gpu.json'));
  } catch {
    return false;
  }
}

/** The line the worker prints when the host has NVIDIA GPUs but tfjs trials would use the CPU. */
export function gpuBuildHint(gpus: GpuInfo[], installed: boolean): string | null {
  if (gpus.length === 0 || installed) return null;
  const names = [...new Set(gpus.map((g) => g.name))].join(', ');
  return (
    `this host has ${gpus.length} NVIDIA GPU(s) (${names}) but the GPU build of TensorFlow.js ` +
    'is not installed, so tfjs trials train on the CPU. Add it with: npm run setup:gpu ' +
    '(about 4 GB; see docs/gpu.md)'
  );
}
