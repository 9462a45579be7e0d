import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DeviceFacts } from '@retune/core';
import type { LoadedTf } from './backend';
import { readEnv } from './env';

const require = createRequire(import.meta.url);

/** The versions tools/tfjs-native/install-gpu.mjs recorded next to the GPU build's libraries. */
function gpuBuildVersions(): { cuda?: string; cudnn?: string } {
  try {
    const pkg = path.dirname(require.resolve('@tensorflow/tfjs-node-gpu/package.json'));
    const marker = path.join(pkg, 'deps', '.tfjs-native-gpu.json');
    const { cuda } = JSON.parse(fs.readFileSync(marker, 'utf8')) as {
      cuda: Record<string, string>;
    };
    const runtime = cuda['nvidia-cuda-runtime-cu12'];
    const cudnn = cuda['nvidia-cudnn-cu12'];
    return {
      ...(runtime ? { cuda: runtime.split('.').slice(0, 2).join('.') } : {}),
      ...(cudnn ? { cudnn } : {}),
    };
  } catch {
    return {};
  }
}

/** The driver's name for the host GPU `index`, or "GPU <index>" when nvidia-smi cannot say. */
function gpuName(index: string): string {
  try {
    const out = execFileSync(
      'nvidia-smi',
      ['--query-gpu=name', '--format=csv,noheader', '-i', index],
      {
        encoding: 'utf8',
        timeout: 10_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    return out.trim().split('\n')[0] || `GPU ${index}`;
  } catch {
    return `GPU ${index}`;
  }
}

/**
 * What this tfjs trainer process trains on. The GPU build counts as on the GPU when the worker
 * gave the trial one (TensorFlow itself falls back to the CPU when the driver is missing: the
 * worker's gpu_util samples then stay at 0).
 */
export function tfDeviceFacts(loaded: LoadedTf): DeviceFacts {
  const binding = (loaded.tf.backend() as { binding?: { TF_Version?: string } }).binding;
  const tfVersion = binding?.TF_Version;
  const gpu = loaded.pkg === '@tensorflow/tfjs-node-gpu' ? readEnv().visibleGpu : undefined;
  return {
    backend: loaded.backend,
    device: gpu === undefined ? 'CPU' : gpuName(gpu),
    framework: tfVersion ? 'tensorflow' : 'tfjs',
    frameworkVersion: tfVersion ?? loaded.tf.version_core,
    ...(gpu === undefined ? {} : gpuBuildVersions()),
  };
}
