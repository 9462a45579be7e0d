/**
 * A sweep's GPU-time budget as a spec states it (`budget: { gpuHours: 2 }`), beside or instead of
 * maxTrials. search/gpu-budget decides, from the trials that ran, whether one more fits.
 */
import { z } from 'zod';

/** The most GPU hours one sweep may be given (at launch or in total after extending). */
export const MAX_GPU_HOURS = 100_000;

export const gpuHoursSchema = z
  .number({ error: 'gpuHours must be a number of GPU hours, e.g. 2 or 0.5' })
  .gt(0, 'gpuHours must be more than 0 GPU hours, e.g. 2 or 0.5')
  .max(MAX_GPU_HOURS, `gpuHours is at most ${MAX_GPU_HOURS}`);

export const gpuBudgetSchema = z
  .object({
    gpuHours: gpuHoursSchema.describe(
      "GPU time the sweep may spend, in hours of trial wall time on a GPU slot (summed over parallel trials). No trial starts once the finished trials' mean says it would not fit.",
    ),
  })
  .strict()
  .describe(
    'A GPU-time budget beside or instead of maxTrials: the sweep stops launching trials when the next would exceed it; `retune sweep extend --gpu-hours` adds time.',
  );
export type GpuBudgetSpec = z.infer<typeof gpuBudgetSchema>;
