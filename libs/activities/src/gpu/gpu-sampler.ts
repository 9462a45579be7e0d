import { parseGpuSample, runNvidiaSmi, SAMPLE_QUERY, type GpuSample } from './nvidia-smi';

export interface GpuSamplerOptions {
  /** The host's index of the trial's GPU (nvidia-smi -i). */
  gpuIndex: number;
  intervalMs: number;
  onSample: (sample: GpuSample) => void;
}

export interface GpuSampler {
  /**
   * Stops sampling; resolves once no nvidia-smi call of this sampler is running any more. No
   * sample is delivered after it resolved.
   */
  stop(): Promise<void>;
}

/**
 * Samples one GPU every intervalMs with one short `nvidia-smi -i <index>` call at a time (no
 * `-l` loop: a worker killed mid-trial leaves no sampler process behind). Readings nvidia-smi
 * cannot make are skipped. Start it with the trainer and stop it in the same `finally`.
 */
export function startGpuSampler(opts: GpuSamplerOptions): GpuSampler {
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const sampleOnce = async () => {
    if (stopped) return;
    const out = await runNvidiaSmi([...SAMPLE_QUERY, '-i', String(opts.gpuIndex)]);
    const sample = out === null ? null : parseGpuSample(out.trim().split('\n')[0] ?? '');
    // A reading taken while the trial ran still counts when stop() is waiting for it.
    if (sample) opts.onSample(sample);
  };
  const tick = () => {
    inFlight = inFlight.then(sampleOnce);
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
