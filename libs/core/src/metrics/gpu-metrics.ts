/** Metric names under which the worker stores its nvidia-smi samples of a trial's GPU. */
export const GPU_UTIL_METRIC = 'gpu_util';
export const GPU_MEM_METRIC = 'gpu_mem_mb';
export const GPU_METRICS = [GPU_UTIL_METRIC, GPU_MEM_METRIC] as const;

/**
 * The share of time the sweep's GPUs were busy, 0–1: the mean of its trials' `gpu_util`
 * samples (percent). Null when no trial was sampled (CPU trials, or no nvidia-smi).
 */
export function gpuBusyShare(curves: { values: number[] }[]): number | null {
  const values = curves.flatMap((c) => c.values);
  if (values.length === 0) return null;
  return values.reduce((a, b) => a + b, 0) / values.length / 100;
}
