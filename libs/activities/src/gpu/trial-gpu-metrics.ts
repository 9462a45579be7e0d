import type { MetricBuffer } from '../trial/metric-buffer';
import { startGpuSampler, type GpuSampler } from './gpu-sampler';

export const GPU_SAMPLE_INTERVAL_MS = 5000;

/**
 * Samples the trial's GPU into its metrics as `gpu_util` (%) and `gpu_mem_mb` (MiB), at the
 * trainer's current epoch; the step is the sample's Unix time in seconds, so attempts never
 * collide. Null on a CPU slot. The caller stops it when the trainer has stopped.
 */
export function sampleTrialGpu(opts: {
  device: { kind: 'cpu' | 'gpu'; index?: number };
  metrics: Pick<MetricBuffer, 'add'>;
  state: { epoch: number };
  intervalMs?: number;
}): GpuSampler | null {
  const { device, metrics, state } = opts;
  if (device.kind !== 'gpu' || device.index === undefined) return null;
  return startGpuSampler({
    gpuIndex: device.index,
    intervalMs: opts.intervalMs ?? GPU_SAMPLE_INTERVAL_MS,
    onSample: (s) => {
      const at = { epoch: Math.max(0, state.epoch), step: Math.floor(Date.now() / 1000) };
      void metrics.add([
        { ...at, name: 'gpu_util', value: s.utilPercent },
        { ...at, name: 'gpu_mem_mb', value: s.memoryUsedMb },
      ]);
    },
  });
}
